/**
 * pulumi-edgeconf: Pulumi resources for Tencent Cloud EdgeOne origin groups and security IP groups,
 * Tencent Cloud Identity Center user groups and Huawei Cloud Global Accelerator endpoint groups.
 */
export { OriginGroup } from "./resources/originGroup";
export type { OriginGroupArgs, OriginRecordArgs, PrivateParameterArgs, OriginRecordState, OriginGroupReference, OriginGroupState } from "./resources/originGroup";
export { SecurityIPGroup } from "./resources/securityIpGroup";
export type { SecurityIPGroupArgs, IpExpireInfoArgs, SecurityIPGroupState } from "./resources/securityIpGroup";
export { UserGroup } from "./resources/userGroup";
export type { UserGroupArgs, UserGroupState } from "./resources/userGroup";
export { EndpointGroup } from "./resources/endpointGroup";
export type { EndpointGroupArgs, EndpointGroupState, FrozenInfo } from "./resources/endpointGroup";
export type { CommonArgs } from "./resources/resource";
export { EdgeconfError, ApiError, TransportError, ConfigError, InputError, DeadlineError } from "./clients/errors";
