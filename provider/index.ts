/**
 * pulumi-edgeconf: Pulumi resources for Tencent Cloud EdgeOne origin groups and security IP groups,
 * Tencent Cloud Identity Center user groups and Huawei Cloud Global Accelerator endpoint groups.
 */
export { OriginGroup } from "./classes/originGroup";
export type { OriginGroupArgs, OriginGroupLookup, OriginRecordArgs, PrivateParameterArgs, OriginRecordState, OriginGroupReference, OriginGroupState } from "./classes/originGroup";
export { SecurityIPGroup } from "./classes/securityIpGroup";
export type { SecurityIPGroupArgs, SecurityIPGroupLookup, IpExpireInfoArgs, SecurityIPGroupState } from "./classes/securityIpGroup";
export { UserGroup } from "./classes/userGroup";
export type { UserGroupArgs, UserGroupLookup, UserGroupState } from "./classes/userGroup";
export { EndpointGroup } from "./classes/endpointGroup";
export type { EndpointGroupArgs, EndpointGroupState, FrozenInfo } from "./classes/endpointGroup";
export type { CommonArgs, Duration, Timeouts } from "./classes/resource";
export { EdgeconfError, ApiError, TransportError, ConfigError, InputError, DeadlineError } from "./clients/errors";
