/**
 * One class per teo wire error code. Messages are the English texts of the API reference
 * (shared/reference/teo-*.md, from tencentcloud-sdk-go-intl-en errors.go); a `detail` saying which
 * field or entry is at fault is appended, so a caller can see what to fix without a second call.
 * Clients must branch on `code`, never on the message.
 */
import { TencentError } from "../core/contract";

/** Base of every teo error; `detail` is appended to the reference message. */
export abstract class TeoError extends TencentError {
  constructor(code: string, message: string, detail?: string) {
    super(code, detail ? `${message} ${detail}` : message);
    this.name = new.target.name;
  }
}

// ---- common (tencent-api3.md §9) ----

/** Wording of the live API for any missing field: "The request is missing a required parameter `Timestamp`." */
export class MissingParameter extends TeoError {
  constructor(readonly parameter: string) {
    super("MissingParameter", `The request is missing a required parameter \`${parameter}\`.`);
  }
}

export class UnknownParameter extends TeoError {
  constructor(readonly parameter: string) {
    super("UnknownParameter", `The parameter \`${parameter}\` is not recognized.`);
  }
}

/** Plain `InvalidParameter`: wrong JSON type or a value rule with no product-specific code. */
export class InvalidParameter extends TeoError {
  constructor(message: string) {
    super("InvalidParameter", message);
  }
}

export class ResourceNotFound extends TeoError {
  constructor(detail?: string) {
    super("ResourceNotFound", "The resource doesn't exist.", detail);
  }
}

export class LimitExceeded extends TeoError {
  constructor(detail?: string) {
    super("LimitExceeded", "The quota limit has been reached.", detail);
  }
}

export class OperationDenied extends TeoError {
  constructor(detail?: string) {
    super("OperationDenied", "Operation denied.", detail);
  }
}

// ---- zones ----

/** Unknown ZoneId. The references leave the code open; teo's errors.go has this one ("站点不存在。"). */
export class ZoneNotFound extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.ZoneNotFound", "The site does not exist.", detail);
  }
}

// ---- origin groups (teo-origin-group.md §1, §3, §4) ----

export class OriginNameExists extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.OriginNameExists", "The origin group name already exists.", detail);
  }
}

export class InvalidOriginGroupType extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.InvalidOriginGroupType", "The origin server group type is incorrect.", detail);
  }
}

export class OriginRecordFormatError extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.OriginRecordFormatError", "Incorrect origin server format.", detail);
  }
}

export class OriginRecordWeightValue extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.OriginRecordWeightValue", "Weight value range: 0-100.", detail);
  }
}

export class InvalidOriginIp extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.InvalidOriginIp", "The origin cannot be a private IP or loopback address.", detail);
  }
}

export class HostHeaderInvalid extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.HostHeaderInvalid", "Host header error", detail);
  }
}

export class OriginThirdPartyParamFormatError extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.OriginThirdPartyParamFormatError", "The key format is incorrect.", detail);
  }
}

export class InvalidAwsRegion extends TeoError {
  constructor(detail?: string) {
    super(
      "InvalidParameter.InvalidAwsRegion",
      "Invalid region. Please fill in a correct region of the third-party object storage service.",
      detail,
    );
  }
}

export class OriginL4RecordIPV4MixDomain extends TeoError {
  constructor(detail?: string) {
    super(
      "InvalidParameter.OriginL4RecordIPV4MixDomain",
      "The layer-4 proxy strictly prohibits mixing IPs and domain names.",
      detail,
    );
  }
}

export class OriginL4RecordMultiDomain extends TeoError {
  constructor(detail?: string) {
    super(
      "InvalidParameter.OriginL4RecordMultiDomain",
      "Usage of multi-domain origin server is forbidden for layer-4 proxy.",
      detail,
    );
  }
}

export class OriginGroupAccelerationDomainUsed extends TeoError {
  constructor(detail?: string) {
    super(
      "OperationDenied.OriginGroupAccelerationDomainUsed",
      "Failed to delete: The acceleration domain name is in use.",
      detail,
    );
  }
}

export class OriginGroupL4Used extends TeoError {
  constructor(detail?: string) {
    super("OperationDenied.OriginGroupL4Used", "The Layer 4 proxy is in use and cannot be deleted.", detail);
  }
}

export class OriginGroupLBUsed extends TeoError {
  constructor(detail?: string) {
    super("OperationDenied.OriginGroupLBUsed", "The Cloud Load Balancer is in use and cannot be deleted.", detail);
  }
}

export class OriginGroupRuleEngineUsed extends TeoError {
  constructor(detail?: string) {
    super("OperationDenied.OriginGroupRuleEngineUsed", "The rule engine is in use and cannot be deleted.", detail);
  }
}

// ---- security IP groups (teo-security-ip-group.md §2, §6, §7) ----

/** `InvalidParameter.Security`: the only documented validation code of the IP-group actions. */
export class SecurityInvalidParameter extends TeoError {
  constructor(detail?: string) {
    super("InvalidParameter.Security", "Invalid parameter.", detail);
  }
}

/** `LimitExceeded.Security` (teo errors.go): entries per request / per group over the configured limit. */
export class SecurityLimitExceeded extends TeoError {
  constructor(detail?: string) {
    super("LimitExceeded.Security", "Limit exceeded", detail);
  }
}
