/**
 * One class per wire error code of Huawei Cloud GA v1 (https://support.huaweicloud.com/intl/en-us/api-ga/ErrorCode.html,
 * shared/reference/huawei-ga-endpoint-group.md §6). The core renders them as
 * `{"error_code","error_msg","request_id"}` with the HTTP status and `X-Request-Id`.
 */
import { HuaweiError } from "../core/contract";

/** 400 GA.9001 "Invalid %s: %s" — every field, query and envelope validation failure. */
export class InvalidField extends HuaweiError {
  constructor(readonly field: string, reason: string) {
    super(400, "GA.9001", `Invalid ${field}: ${reason}`);
  }
}

/** 404 GA.9002 "Not found: %s", e.g. `Not found: endpoint_group <id>`. */
export class NotFound extends HuaweiError {
  constructor(kind: string, id: string) {
    super(404, "GA.9002", `Not found: ${kind} ${id}`);
  }
}

/** 400 GA.9004 "Resource %s is in %s status no operation allowed". */
export class StatusNotAllowed extends HuaweiError {
  constructor(kind: string, id: string, status: string) {
    super(400, "GA.9004", `Resource ${kind} ${id} is in ${status} status no operation allowed`);
  }
}

/** 409 GA.9005 "Found %s is associated by %s". */
export class AssociatedResource extends HuaweiError {
  constructor(what: string, by: string) {
    super(409, "GA.9005", `Found ${what} is associated by ${by}`);
  }
}

/** 400 GA.9006 "Resource frozen". */
export class ResourceFrozen extends HuaweiError {
  constructor() {
    super(400, "GA.9006", "Resource frozen");
  }
}

/** 400 GA.9104 "Resource %s is already exists" (sic). */
export class AlreadyExists extends HuaweiError {
  constructor(kind: string) {
    super(400, "GA.9104", `Resource ${kind} is already exists`);
  }
}

/** 400 GA.9105 "The acceleration capability is not enabled for the selected region: %s". */
export class RegionNotEnabled extends HuaweiError {
  constructor(regionId: string) {
    super(400, "GA.9105", `The acceleration capability is not enabled for the selected region: ${regionId}`);
  }
}
