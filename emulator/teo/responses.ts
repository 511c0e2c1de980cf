/**
 * teo wire layer: PascalCase JSON params in → keyword calls on TeoBackend → `Response` object out
 * (the core adds RequestId and renders errors). Only wire concerns live here: unknown parameters
 * (`UnknownParameter`), missing required ones (`MissingParameter`) and JSON types (`InvalidParameter`),
 * top-level and nested, with dotted paths (`Records.0.Weight`). Every value rule is in models.ts.
 */
import type { TencentCallContext, TencentService } from "../core/contract";
import { InvalidParameter, MissingParameter, UnknownParameter } from "./exceptions";
import type { IpGroupInput, IpGroupView, OriginGroup, OriginRecordInput, TeoBackend } from "./models";

// ------------------------------------------------------------------------------------------------
// A tiny declarative schema of the request shapes (SPEC api.json, version 2022-09-01)

type Scalar = "String" | "Integer" | "Boolean";
export interface ObjectShape { [field: string]: Field }
/** an Array parameter; a class so it cannot be mistaken for an ObjectShape */
class ArrayOf { constructor(readonly of: Scalar | ObjectShape) {} }
type Shape = Scalar | ObjectShape | ArrayOf;
export const arrayOf = (of: Scalar | ObjectShape) => new ArrayOf(of);
interface Field { shape: Shape; required?: boolean; /** Integer field whose range/integrality models.ts judges */ anyNumber?: boolean }

export const req = (shape: Shape, extra: Partial<Field> = {}): Field => ({ shape, required: true, ...extra });
export const opt = (shape: Shape, extra: Partial<Field> = {}): Field => ({ shape, ...extra });

const PRIVATE_PARAMETER: ObjectShape = { Name: req("String"), Value: req("String") };
const ORIGIN_RECORD: ObjectShape = {
  Record: req("String"),
  Type: opt("String"),
  RecordId: opt("String"),
  // Weight's integrality and range give InvalidParameter.OriginRecordWeightValue (models), not a type error
  Weight: opt("Integer", { anyNumber: true }),
  Private: opt("Boolean"),
  PrivateParameters: opt(arrayOf(PRIVATE_PARAMETER)),
};
const ADVANCED_FILTER: ObjectShape = { Name: req("String"), Values: req(arrayOf("String")), Fuzzy: opt("Boolean") };
const IP_EXPIRE_INFO: ObjectShape = { ExpireTime: opt("String"), IPList: req(arrayOf("String")) };
const IP_GROUP: ObjectShape = {
  GroupId: req("Integer"),
  Name: req("String"),
  Content: req(arrayOf("String")),
  // output-only fields of the IPGroup type: known, refused on input by the handler
  IPTotalCount: opt("Integer"),
  RefCount: opt("Integer"),
  IPExpireInfo: opt(arrayOf(IP_EXPIRE_INFO)),
};

export { ORIGIN_RECORD, toRecordInputs };

export const REQUESTS = {
  // Name and Type are optional in SPEC (Type's text says "(Required)"): both required here (stricter)
  CreateOriginGroup: { ZoneId: req("String"), Name: req("String"), Type: req("String"), HostHeader: opt("String"), Records: req(arrayOf(ORIGIN_RECORD)) },
  // ZoneId is optional in SPEC but "(Required)" in its text: required here (stricter)
  DescribeOriginGroup: { ZoneId: req("String"), Offset: opt("Integer"), Limit: opt("Integer"), Filters: opt(arrayOf(ADVANCED_FILTER)) },
  ModifyOriginGroup: {
    ZoneId: req("String"), GroupId: req("String"), Name: opt("String"), Type: opt("String"),
    Records: opt(arrayOf(ORIGIN_RECORD)), HostHeader: opt("String"),
  },
  DeleteOriginGroup: { ZoneId: req("String"), GroupId: req("String") },
  CreateSecurityIPGroup: { ZoneId: req("String"), IPGroup: req(IP_GROUP) },
  DescribeSecurityIPGroup: { ZoneId: req("String"), GroupIds: opt(arrayOf("Integer")) },
  DescribeSecurityIPGroupContent: { ZoneId: req("String"), GroupId: req("Integer"), Limit: opt("Integer"), Offset: opt("Integer") },
  ModifySecurityIPGroup: { ZoneId: req("String"), IPGroup: req(IP_GROUP), Mode: req("String") },
  DeleteSecurityIPGroup: { ZoneId: req("String"), GroupId: req("Integer") },
  DescribeIPGroupReferences: { ZoneId: req("String"), GroupId: req("Integer"), Offset: opt("Integer"), Limit: opt("Integer") },
} satisfies Record<string, ObjectShape>;

const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);

function typeError(path: string, expected: string): never {
  throw new InvalidParameter(`The parameter \`${path}\` must be of type ${expected}.`);
}

function checkScalar(s: Scalar, v: unknown, path: string, anyNumber = false): void {
  switch (s) {
    case "String": if (typeof v !== "string") typeError(path, "String"); return;
    case "Boolean": if (typeof v !== "boolean") typeError(path, "Boolean"); return;
    case "Integer":
      if (typeof v !== "number" || !Number.isFinite(v) || (!anyNumber && !Number.isInteger(v))) typeError(path, "Integer");
      return;
  }
}

function checkShape(shape: Shape, v: unknown, path: string, anyNumber = false): void {
  if (typeof shape === "string") return checkScalar(shape, v, path, anyNumber);
  if (shape instanceof ArrayOf) {
    if (!Array.isArray(v)) typeError(path, "Array");
    v.forEach((item, i) => {
      if (item === null || item === undefined) typeError(join(path, i), typeof shape.of === "string" ? shape.of : "Object");
      checkShape(shape.of, item, join(path, i));
    });
    return;
  }
  checkObject(shape, v, path);
}

/**
 * Unknown keys first (the whole object), then each declared field: missing-required, then JSON type.
 * `null` is treated as absent (the SDKs drop undefined; some clients send null for "no value").
 */
export function checkObject(shape: ObjectShape, v: unknown, path: string): void {
  if (typeof v !== "object" || v === null || Array.isArray(v)) typeError(path || "(body)", "Object");
  const obj = v as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!Object.prototype.hasOwnProperty.call(shape, key)) throw new UnknownParameter(join(path, key));
  }
  for (const [key, field] of Object.entries(shape)) {
    const value = obj[key];
    if (value === undefined || value === null) {
      if (field.required) throw new MissingParameter(join(path, key));
      continue;
    }
    checkShape(field.shape, value, join(path, key), field.anyNumber);
  }
}

/** Checked params, with `null` read as absent. */
type Params = Record<string, any>;
// the shape was checked by checkObject, so `any` is what the schema promised
const present = (v: any): any => (v === null ? undefined : v);

// ------------------------------------------------------------------------------------------------
// wire → keyword inputs

function toRecordInputs(records: Params[]): OriginRecordInput[] {
  return records.map((r) => ({
    record: r.Record,
    type: present(r.Type),
    weight: present(r.Weight),
    private: present(r.Private),
    privateParameters: present(r.PrivateParameters)?.map((p: Params) => ({ name: p.Name, value: p.Value })),
    recordId: present(r.RecordId),
  }));
}

function toIpGroupInput(g: Params): IpGroupInput {
  for (const k of ["IPTotalCount", "RefCount"]) {
    if (present(g[k]) !== undefined) throw new InvalidParameter(`The parameter \`IPGroup.${k}\` is output-only.`);
  }
  const info = present(g.IPExpireInfo) as Params[] | undefined;
  return {
    groupId: g.GroupId,
    name: g.Name,
    content: g.Content,
    ipExpireInfo: info?.map((e) => ({ expireTime: present(e.ExpireTime), ipList: e.IPList })),
  };
}

// ------------------------------------------------------------------------------------------------
// keyword outputs → wire

/** `2023-08-11T19:41:33Z`: the form of the official DescribeOriginGroup example (no milliseconds). */
export const isoTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Every key present, empty values as "" / [] / false / null (reference §2 "Shape facts"). */
export function originGroupToWire(g: OriginGroup): Record<string, unknown> {
  return {
    GroupId: g.groupId,
    Name: g.name,
    Type: g.type,
    Records: g.records.map((r) => ({
      RecordId: r.recordId,
      Record: r.record,
      Type: r.type,
      Weight: r.weight,
      Private: r.private,
      // echoed in clear: the provider must mark these secret itself (see README ### teo)
      PrivateParameters: r.privateParameters.map((p) => ({ Name: p.name, Value: p.value })),
    })),
    References: g.references.map((r) => ({
      InstanceType: r.instanceType,
      InstanceId: r.instanceId,
      InstanceName: r.instanceName,
      ZoneId: r.zoneId,
      ZoneName: r.zoneName,
      AliasZoneName: r.aliasZoneName,
    })),
    CreateTime: isoTime(g.createTime),
    UpdateTime: isoTime(g.updateTime),
    HostHeader: g.hostHeader,
  };
}

export function ipGroupToWire(g: IpGroupView): Record<string, unknown> {
  return {
    GroupId: g.groupId,
    Name: g.name,
    Content: g.content,
    IPTotalCount: g.ipTotalCount,
    IPExpireInfo: g.ipExpireInfo.map((e) => ({ ExpireTime: e.expireTime, IPList: e.ipList })),
    RefCount: g.refCount,
  };
}

// ------------------------------------------------------------------------------------------------

type Handler = (p: Params, ctx: TencentCallContext) => Record<string, unknown>;

export function createActions(b: TeoBackend): TencentService["actions"] {
  const handlers: Record<keyof typeof REQUESTS, Handler> = {
    CreateOriginGroup: (p, ctx) => ({
      OriginGroupId: b.createOriginGroup(ctx.account, p.ZoneId, {
        name: present(p.Name),
        type: present(p.Type),
        hostHeader: present(p.HostHeader),
        records: toRecordInputs(p.Records),
      }),
    }),
    DescribeOriginGroup: (p, ctx) => {
      const r = b.describeOriginGroups(ctx.account, {
        zoneId: p.ZoneId,
        offset: present(p.Offset),
        limit: present(p.Limit),
        filters: present(p.Filters)?.map((f: Params) => ({ name: f.Name, values: f.Values, fuzzy: present(f.Fuzzy) })),
      });
      return { TotalCount: r.totalCount, OriginGroups: r.originGroups.map(originGroupToWire) };
    },
    ModifyOriginGroup: (p, ctx) => {
      const records = present(p.Records);
      b.modifyOriginGroup(ctx.account, p.ZoneId, p.GroupId, {
        name: present(p.Name),
        type: present(p.Type),
        hostHeader: present(p.HostHeader),
        records: records === undefined ? undefined : toRecordInputs(records),
      });
      return {};
    },
    DeleteOriginGroup: (p, ctx) => {
      b.deleteOriginGroup(ctx.account, p.ZoneId, p.GroupId);
      return {};
    },
    CreateSecurityIPGroup: (p, ctx) => ({ GroupId: b.createSecurityIpGroup(ctx.account, p.ZoneId, toIpGroupInput(p.IPGroup)) }),
    DescribeSecurityIPGroup: (p, ctx) => ({
      IPGroups: b.describeSecurityIpGroups(ctx.account, p.ZoneId, present(p.GroupIds)).map(ipGroupToWire),
    }),
    DescribeSecurityIPGroupContent: (p, ctx) => {
      const r = b.describeSecurityIpGroupContent(ctx.account, {
        zoneId: p.ZoneId, groupId: p.GroupId, offset: present(p.Offset), limit: present(p.Limit),
      });
      return { IPTotalCount: r.ipTotalCount, IPList: r.ipList };
    },
    ModifySecurityIPGroup: (p, ctx) => {
      b.modifySecurityIpGroup(ctx.account, p.ZoneId, p.Mode, toIpGroupInput(p.IPGroup));
      return {};
    },
    DeleteSecurityIPGroup: (p, ctx) => {
      b.deleteSecurityIpGroup(ctx.account, p.ZoneId, p.GroupId);
      return {};
    },
    DescribeIPGroupReferences: (p, ctx) => {
      const r = b.describeIpGroupReferences(ctx.account, {
        zoneId: p.ZoneId, groupId: p.GroupId, offset: present(p.Offset), limit: present(p.Limit),
      });
      return {
        TotalCount: r.totalCount,
        References: r.references.map((x) => ({
          ZoneId: x.zoneId, EntityType: x.entityType, EntityId: x.entityId, EntityName: x.entityName,
          SubEntityType: x.subEntityType, SubEntityId: x.subEntityId, SubEntityName: x.subEntityName,
        })),
      };
    },
  };
  const actions: TencentService["actions"] = {};
  for (const [name, handler] of Object.entries(handlers)) {
    const shape = REQUESTS[name as keyof typeof REQUESTS] as ObjectShape;
    actions[name] = (params, ctx) => {
      checkObject(shape, params ?? {}, "");
      return handler(params as Params, ctx);
    };
  }
  return actions;
}
