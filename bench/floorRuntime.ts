/**
 * The "Pulumi machinery floor" provider's implementation, loaded inside Pulumi's dynamic-provider process by the
 * floor stub (bench/serialized.ts) the way our stub loads `pulumi-edgeconf/runtime`. It makes no API call and
 * imports nothing: `read` hands back the stored outputs and the inputs our read would report (projected from
 * those outputs), `diff` says "no changes". A refresh through it costs only what Pulumi's process and the
 * engine stand-in cost, so the bench can tell that apart from what our provider adds.
 */

/** Which parts of the outputs are inputs: `true` copies a value, an object keeps its keys, `[s]` maps elements. */
export type InputShape = true | { [key: string]: InputShape } | [InputShape];

/** The shape of one resource's inputs, as our read reported them (arrays by their first element). */
export function inputShape(inputs: unknown): InputShape {
  if (Array.isArray(inputs)) {
    return inputs.length > 0 && typeof inputs[0] === "object" && inputs[0] !== null ? [inputShape(inputs[0])] : true;
  }
  if (inputs === null || typeof inputs !== "object") return true;
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, inputShape(v)]));
}

export function project(value: any, shape: InputShape): any {
  if (shape === true || value === null || value === undefined) return value;
  if (Array.isArray(shape)) return Array.isArray(value) ? value.map((v) => project(v, shape[0])) : value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(shape)) if (value[k] !== undefined) out[k] = project(value[k], shape[k]);
  return out;
}

export const read = (shape: InputShape, id: string, props: Record<string, unknown>) => ({ id, props, inputs: project(props, shape) });
