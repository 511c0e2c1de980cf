/**
 * Compile-time proof that the public Args interfaces (classes/*.ts, plain TypeScript that users' compilers
 * read) and the zod schemas (the provider's source of truth) describe the same inputs. If a property is added,
 * removed, renamed, retyped or made optional on one side only, `npx tsc` fails on the line of that resource
 * ("Type 'false' does not satisfy the constraint 'true'"). This file emits no code.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { CommonArgs } from "../classes/resource";
import type { EndpointGroupArgs } from "../classes/endpointGroup";
import type { OriginGroupArgs } from "../classes/originGroup";
import type { SecurityIPGroupArgs } from "../classes/securityIpGroup";
import type { UserGroupArgs } from "../classes/userGroup";
import type { EndpointGroupInputs } from "./endpointGroup";
import type { MetaArgs } from "./lifecycle";
import type { OriginGroupInputs } from "./originGroup";
import type { SecurityIPGroupInputs } from "./securityIpGroup";
import type { UserGroupInputs } from "./userGroup";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type AllTrue<T> = false extends T ? false : true;

/** Same keys, same optional keys, and recursively the same value types (arrays element-wise). */
export type SameShape<A, B> = [A] extends [readonly (infer EA)[]]
  ? [B] extends [readonly (infer EB)[]] ? SameShape<EA, EB> : false
  : [A] extends [object]
    ? [B] extends [object]
      ? Same<keyof A, keyof B> extends true
        ? Same<OptionalKeys<A>, OptionalKeys<B>> extends true
          ? AllTrue<{ [K in keyof A & keyof B]-?: SameShape<Exclude<A[K], undefined>, Exclude<B[K], undefined>> }[keyof A & keyof B]>
          : false
        : false
      : false
    : Same<A, B>;

type Assert<T extends true> = T;
type Not<T extends boolean> = T extends true ? false : true;

/** What a program may write for a resource's own properties, `pulumi.Input` wrappers removed. */
type ArgsOf<T> = Omit<pulumi.Unwrap<T>, keyof CommonArgs>;
/** The schema's input type, with the autonamed property optional (`check` fills it before parsing). */
type SchemaArgs<S extends z.ZodType, AutoNamed extends string> = Omit<z.input<S>, AutoNamed> & Partial<Pick<z.input<S>, AutoNamed & keyof z.input<S>>>;
type Flat<T> = { [K in keyof T]: T[K] };

export type PublicTypesMatchSchemas = [
  Assert<SameShape<ArgsOf<OriginGroupArgs>, Flat<SchemaArgs<typeof OriginGroupInputs, "name">>>>,
  Assert<SameShape<ArgsOf<SecurityIPGroupArgs>, Flat<SchemaArgs<typeof SecurityIPGroupInputs, "name">>>>,
  Assert<SameShape<ArgsOf<UserGroupArgs>, Flat<SchemaArgs<typeof UserGroupInputs, "groupName">>>>,
  Assert<SameShape<ArgsOf<EndpointGroupArgs>, Flat<SchemaArgs<typeof EndpointGroupInputs, "name">>>>,
  Assert<SameShape<pulumi.Unwrap<CommonArgs>, Omit<MetaArgs, "logicalName">>>,
  // The check itself tells shapes apart (so a pass above means something):
  Assert<Not<SameShape<{ a: string }, { a: number }>>>,
  Assert<Not<SameShape<{ a: string }, { a: string; b?: number }>>>,
  Assert<Not<SameShape<{ a: string }, { a?: string }>>>,
  Assert<Not<SameShape<{ a: { b: "x" | "y" }[] }, { a: { b: "x" }[] }>>>,
];
