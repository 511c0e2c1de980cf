/**
 * One class per wire error code of Tencent Cloud Organization / CIC (2021-03-31).
 * Messages are the English ones of the intl SDK (`OrganizationErrorCode.java`), see
 * shared/reference/cic-user-group.md §2–6; common codes follow shared/reference/tencent-api3.md §9.
 */
import { TencentError } from "../core/contract";

// ---- common API 3.0 codes (parameter layer) -------------------------------------------------

/** Same wording as the live gateway (tencent-api3.md §9). */
export class MissingParameter extends TencentError {
  constructor(name: string) {
    super("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
  }
}

/** Live wording seen in the wild: "The parameter `$schema` is not recognized." */
export class UnknownParameter extends TencentError {
  constructor(name: string) {
    super("UnknownParameter", `The parameter \`${name}\` is not recognized.`);
  }
}

/** A parameter of the wrong JSON type. Code per tencent-api3.md §9 (`InvalidParameter`); wording is ours. */
export class InvalidParameterType extends TencentError {
  constructor(name: string, expected: string) {
    super("InvalidParameter", `The value type of parameter \`${name}\` is incorrect, expected ${expected}.`);
  }
}

// ---- organization / CIC codes -------------------------------------------------------------

export class ZoneIdNotExist extends TencentError {
  constructor() {
    super("FailedOperation.ZoneIdNotExist", "The user zoneId of the CIC service does not exist.");
  }
}

export class IdentityCenterNotOpen extends TencentError {
  constructor() {
    super("FailedOperation.IdentityCenterNotOpen", "The CIC service is not enabled.");
  }
}

export class GroupOverUpperLimit extends TencentError {
  constructor() {
    super("FailedOperation.GroupOverUpperLimit", "User groups created exceed the upper limit.");
  }
}

export class GroupNameAlreadyExists extends TencentError {
  constructor() {
    super("InvalidParameter.GroupNameAlreadyExists", "The user group name already exists.");
  }
}

export class GroupNameFormatError extends TencentError {
  constructor() {
    super("InvalidParameter.GroupNameFormatError", "The user group name has a format error.");
  }
}

export class GroupNotExist extends TencentError {
  constructor() {
    super("InvalidParameter.GroupNotExist", "The user group does not exist.");
  }
}

/**
 * `InvalidParameter.ParamError` "Parameter error." — documented for ListGroups; the emulator also uses it
 * for value errors the docs give no dedicated code for (Description too long, bad GroupType, bad MaxResults,
 * bad Filter). The optional detail is appended so tests and users see which parameter failed.
 */
export class ParamError extends TencentError {
  constructor(detail?: string) {
    super("InvalidParameter.ParamError", detail ? `Parameter error. ${detail}` : "Parameter error.");
  }
}

export class NextTokenInvalid extends TencentError {
  constructor() {
    super("InvalidParameter.NextTokenInvalid", "Invalid nextToken.");
  }
}

export class SynchronizedGroupNotUpdate extends TencentError {
  constructor() {
    super("FailedOperation.SynchronizedGroupNotUpdate", "The synchronized user group cannot be updated.");
  }
}

export class ManualGroupNotUpdate extends TencentError {
  constructor() {
    super("FailedOperation.ManualGroupNotUpdate", "Manually created user groups cannot be updated.");
  }
}

export class SynchronizedGroupNotDelete extends TencentError {
  constructor() {
    super("FailedOperation.SynchronizedGroupNotDelete", "The synchronized user groups cannot be deleted.");
  }
}

export class ManualGroupNotDelete extends TencentError {
  constructor() {
    super("FailedOperation.ManualGroupNotDelete", "Manually created user groups cannot be deleted.");
  }
}

export class DeleteGroupNotAllowExistUser extends TencentError {
  constructor() {
    super("FailedOperation.DeleteGroupNotAllowExistUser", "The user group still contains users and cannot be deleted.");
  }
}

export class RoleConfigurationAuthorizationExist extends TencentError {
  constructor() {
    super("FailedOperation.RoleConfigurationAuthorizationExist", "The permission configuration authorization exists.");
  }
}

export class UserProvisioningExists extends TencentError {
  constructor() {
    super("FailedOperation.UserProvisioningExists", "The user synchronization exists.");
  }
}
