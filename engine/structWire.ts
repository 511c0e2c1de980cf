/**
 * Protobuf wire encoding of a `google.protobuf.Struct` field, byte for byte what google-protobuf's
 * `Struct.fromJavaScript(v)` then `serializeBinary()` sends, without building the intermediate message objects.
 * Why: in the engine stand-in those objects were most of its CPU per provider call (a refresh of 1000 resources
 * builds 5000 Structs: Read's properties and inputs, Diff's olds, old inputs and news), time the real engine (Go)
 * does not spend. The provider process still decodes with google-protobuf, so the protocol is unchanged.
 *
 * Struct { map<string, Value> fields = 1 }; Value { oneof: null_value = 1 (enum), number_value = 2 (double),
 * string_value = 3, bool_value = 4, struct_value = 5, list_value = 6 }; ListValue { repeated Value values = 1 }.
 */

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
/** a length-delimited field (field number < 16: one tag byte) holding `len` bytes */
const delimited = (len: number): number => 1 + varintSize(len) + len;

/**
 * Keys go in sorted order (plain sort(), UTF-16 code units), as google-protobuf's map writer puts them.
 * Two passes: the first measures every nested message body and records the sizes in visiting order, the second
 * walks the value in the same order and writes into one buffer of the exact size.
 */
class Encoder {
  private readonly sizes: number[] = [];
  private next = 0;
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;

  measureStruct(obj: Record<string, unknown>): number {
    let body = 0;
    for (const key of Object.keys(obj).sort()) {
      const slot = this.sizes.push(0) - 1;
      const entry = delimited(Buffer.byteLength(key, "utf8")) + delimited(this.measureValue(obj[key]));
      this.sizes[slot] = entry;
      body += delimited(entry);
    }
    return body;
  }

  private measureValue(v: unknown): number {
    const slot = this.sizes.push(0) - 1;
    let body: number;
    if (v === null || typeof v === "boolean") body = 2;
    else if (typeof v === "number") body = 9;
    else if (typeof v === "string") body = delimited(Buffer.byteLength(v, "utf8"));
    else if (Array.isArray(v)) {
      const listSlot = this.sizes.push(0) - 1;
      let list = 0;
      for (const item of v) list += delimited(this.measureValue(item));
      this.sizes[listSlot] = list;
      body = delimited(list);
    } else if (typeof v === "object") {
      const structSlot = this.sizes.push(0) - 1;
      const struct = this.measureStruct(v as Record<string, unknown>);
      this.sizes[structSlot] = struct;
      body = delimited(struct);
    } else {
      // google-protobuf's fromJavaScript refuses undefined, functions, symbols and bigints the same way.
      throw new Error("Unexpected struct type.");
    }
    this.sizes[slot] = body;
    return body;
  }

  /** Writes `obj` (already measured) as field `field`, or bare when `field` is undefined. */
  write(obj: Record<string, unknown>, body: number, field?: number): Buffer {
    this.buf = Buffer.allocUnsafe(field === undefined ? body : delimited(body));
    if (field !== undefined) this.header(field, body);
    this.writeStruct(obj);
    if (this.at !== this.buf.length) throw new Error(`struct encoding wrote ${this.at} of ${this.buf.length} bytes`);
    return this.buf;
  }

  private header(field: number, len: number): void {
    this.buf[this.at++] = field * 8 + LEN;
    let n = len;
    while (n > 0x7f) {
      this.buf[this.at++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.at++] = n;
  }

  private string(field: number, s: string): void {
    this.header(field, Buffer.byteLength(s, "utf8"));
    this.at += this.buf.write(s, this.at, "utf8");
  }

  private writeStruct(obj: Record<string, unknown>): void {
    for (const key of Object.keys(obj).sort()) {
      this.header(1, this.sizes[this.next++]);
      this.string(1, key);
      this.writeValue(2, obj[key]);
    }
  }

  private writeValue(field: number, v: unknown): void {
    this.header(field, this.sizes[this.next++]);
    if (v === null) {
      this.buf[this.at++] = 1 * 8 + VARINT;
      this.buf[this.at++] = 0;
    } else if (typeof v === "number") {
      this.buf[this.at++] = 2 * 8 + FIXED64;
      this.at = this.buf.writeDoubleLE(v, this.at);
    } else if (typeof v === "string") {
      this.string(3, v);
    } else if (typeof v === "boolean") {
      this.buf[this.at++] = 4 * 8 + VARINT;
      this.buf[this.at++] = v ? 1 : 0;
    } else if (Array.isArray(v)) {
      this.header(6, this.sizes[this.next++]);
      for (const item of v) this.writeValue(1, item);
    } else {
      this.header(5, this.sizes[this.next++]);
      this.writeStruct(v as Record<string, unknown>);
    }
  }
}

/** The bytes of a Struct message holding `obj`. */
export function encodeStruct(obj: Record<string, unknown>): Buffer {
  const e = new Encoder();
  return e.write(obj, e.measureStruct(obj));
}

/** `obj` as field number `field` (< 16, a Struct) of an enclosing message: bytes to append to that message's. */
export function structField(field: number, obj: Record<string, unknown>): Buffer {
  const e = new Encoder();
  return e.write(obj, e.measureStruct(obj), field);
}
