/**
 * The engine's Struct encoder against google-protobuf's own (what the provider process decodes with): the same
 * bytes, and values that survive the decoder unchanged; the same refusals.
 */
import { describe, expect, it } from "vitest";
import { encodeStruct, structField } from "../../engine/structWire";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReadRequest } = require("@pulumi/pulumi/proto/provider_pb");

const long = "x".repeat(70_000);
const samples: Record<string, Record<string, unknown>> = {
  empty: {},
  scalars: { s: "text", e: "", n: 60, z: 0, neg: -1.5, big: 2 ** 53, tiny: 5e-324, t: true, f: false, nil: null },
  unicode: { "clé": "名前 🚀", "\u0000": "nul\u0000byte", "10": 1, "9": 2, "Z": 3, "a": 4 },
  nested: { records: [{ record: "30.0.0.1", weight: 60, private: false, privateParameters: [] }, [], [[1, "a", null]]], o: { a: { b: {} } } },
  sizes: { long, list: Array.from({ length: 300 }, (_, i) => ({ i, s: String(i).repeat(i) })) },
  provider: { __provider: "exports.handler = __f0;\n".repeat(40), id: "origin-1" },
};

describe("Struct wire encoding", () => {
  it.each(Object.keys(samples))("%s: the bytes google-protobuf writes, decoded back to the same value", (name) => {
    const value = samples[name];
    const theirs = Buffer.from(Struct.fromJavaScript(value).serializeBinary());
    const ours = encodeStruct(value);
    expect(ours.equals(theirs)).toBe(true);
    expect(Struct.deserializeBinary(new Uint8Array(ours)).toJavaScript()).toEqual(value);
  });

  it("as a field appended to a message: decodes as if set with the setter", () => {
    const req = new ReadRequest();
    req.setId("origin-1");
    req.setUrn("urn:pulumi:dev::p::t::n");
    const bytes = Buffer.concat([Buffer.from(req.serializeBinary()), structField(3, samples.nested), structField(4, samples.scalars)]);
    const back = ReadRequest.deserializeBinary(new Uint8Array(bytes));
    expect(back.getId()).toBe("origin-1");
    expect(back.getProperties().toJavaScript()).toEqual(samples.nested);
    expect(back.getInputs().toJavaScript()).toEqual(samples.scalars);
  });

  it.each([["undefined", undefined], ["a function", () => 1], ["a bigint", 1n]])("refuses %s, as google-protobuf does", (_name, bad) => {
    expect(() => Struct.fromJavaScript({ bad })).toThrow();
    expect(() => encodeStruct({ bad })).toThrow("Unexpected struct type.");
  });
});
