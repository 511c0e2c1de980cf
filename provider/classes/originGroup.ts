/**
 * OriginGroup: an EdgeOne (teo 2022-09-01) origin group.
 * The class and its public types. The implementation (schema, API mapping, CRUD) is resources/originGroup.ts,
 * loaded by the runtime inside Pulumi's provider process.
 */
import * as pulumi from "@pulumi/pulumi";
import { CommonArgs, EdgeconfResource, lookupArgs, lookupOptions, registerArgs } from "./resource";

export interface PrivateParameterArgs {
  /** `AccessKeyId`, `SecretAccessKey`, `SignatureVersion` (`v2`/`v4`) or `Region`. */
  name: pulumi.Input<"AccessKeyId" | "SecretAccessKey" | "SignatureVersion" | "Region">;
  /** Secret for the keys: the whole `records` output becomes a Pulumi secret when any record has these. */
  value: pulumi.Input<string>;
}

export interface OriginRecordArgs {
  /** Public IPv4, IPv6 or domain name, without a port. Records are a set keyed by this value. */
  record: pulumi.Input<string>;
  /** `IP_DOMAIN`, or object storage `COS` / `AWS_S3` (HTTP groups only). @default "IP_DOMAIN" */
  type?: pulumi.Input<"IP_DOMAIN" | "COS" | "AWS_S3">;
  /** 0-100; set on every record or on none, with at least one above 0. 0 sends no traffic. */
  weight?: pulumi.Input<number>;
  /** Private bucket access; takes effect on COS/AWS_S3 records (elsewhere accepted with a preview warning). @default false */
  private?: pulumi.Input<boolean>;
  /** Credentials of a private bucket, read when `private` is true; kept secret. */
  privateParameters?: pulumi.Input<pulumi.Input<PrivateParameterArgs>[]>;
}

export interface OriginGroupArgs extends CommonArgs {
  /** EdgeOne site id (`zone-…`). Changing it replaces the group. */
  zoneId: pulumi.Input<string>;
  /** 1-200 of letters, digits, `_`, `-`; unique in the site. @default `<resource name>-<7 hex>` */
  name?: pulumi.Input<string>;
  /** `GENERAL` or `HTTP`; only HTTP groups take COS/AWS_S3 records, and a host header only works in them. Changing it replaces the group. */
  type: pulumi.Input<"GENERAL" | "HTTP">;
  /** 1-100 origins; order does not matter. */
  records: pulumi.Input<pulumi.Input<OriginRecordArgs>[]>;
  /** Origin-pull Host header; takes effect in HTTP groups (accepted with a preview warning in GENERAL ones). Omitted = none. */
  hostHeader?: pulumi.Input<string>;
}

export interface OriginRecordState {
  record: string;
  type: "IP_DOMAIN" | "COS" | "AWS_S3";
  weight?: number;
  private: boolean;
  /** `AccessKeyId`/`SecretAccessKey` values are fingerprints (`hmac-sha256:…`), never the keys themselves. */
  privateParameters: { name: "AccessKeyId" | "SecretAccessKey" | "SignatureVersion" | "Region"; value: string }[];
  /** Server-assigned; never causes a diff. */
  recordId: string;
}

export interface OriginGroupReference {
  instanceType: string;
  instanceId: string;
  instanceName: string;
  zoneId?: string;
  zoneName?: string;
  aliasZoneName?: string;
}

export interface OriginGroupState extends Record<string, unknown> {
  zoneId: string;
  name: string;
  type: "GENERAL" | "HTTP";
  records: OriginRecordState[];
  hostHeader: string;
  groupId: string;
  references: OriginGroupReference[];
  createTime: string;
  updateTime: string;
}


/** What `OriginGroup.get` needs besides the id. */
export interface OriginGroupLookup extends Pick<CommonArgs, "timeouts"> {
  /** EdgeOne site id (`zone-…`) the group belongs to: groups are looked up within their site. */
  zoneId: pulumi.Input<string>;
}

/** Every output property, in declaration order: a `get()` registers them all. */
const OUTPUTS = ["zoneId", "name", "type", "records", "hostHeader", "groupId", "references", "createTime", "updateTime"] as const;

const COMPUTED = ["groupId", "references", "createTime", "updateTime", "hostHeader", "name"] as const;

/**
 * An EdgeOne origin group. Records compare as a set keyed by the record value; server-assigned record ids
 * never cause a diff. Changing `zoneId` or `type` replaces the group (deleted first: names are unique).
 */
export class OriginGroup extends EdgeconfResource {
  declare readonly zoneId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly type: pulumi.Output<"GENERAL" | "HTTP">;
  /** Secret when any record carries private parameters. */
  declare readonly records: pulumi.Output<OriginRecordState[]>;
  declare readonly hostHeader: pulumi.Output<string>;
  /** `origin-…` (also the resource id). */
  declare readonly groupId: pulumi.Output<string>;
  /** Services that use this group (acceleration domains, rules, load balancers, L4 proxies). */
  declare readonly references: pulumi.Output<OriginGroupReference[]>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string>;

  constructor(name: string, args: OriginGroupArgs, opts?: pulumi.CustomResourceOptions) {
    const records = pulumi.output(args.records).apply((rs) =>
      rs?.some((r) => (r?.privateParameters?.length ?? 0) > 0) ? pulumi.secret(rs) : rs,
    );
    super("OriginGroup", "tencentcloud/teo", name, registerArgs(name, { ...args, records }, COMPUTED), opts);
  }

  /**
   * An existing group, read-only: Pulumi reads it through this provider (on preview and up) and never changes or
   * deletes it. `id` is `origin-…`.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, state: OriginGroupLookup, opts?: pulumi.CustomResourceOptions): OriginGroup {
    return new OriginGroup(name, lookupArgs(state, OUTPUTS) as unknown as OriginGroupArgs, lookupOptions(id, opts));
  }
}
