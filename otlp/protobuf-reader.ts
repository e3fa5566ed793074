/**
 * A minimal reader for the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
 * tags, varints, fixed 32/64-bit values and length-delimited fields. Enough to decode OTLP; every
 * read is bounds-checked and throws {@link ProtobufError} with the byte offset on bad input.
 */

/** The bytes are not a valid protobuf message. */
export class ProtobufError extends Error {
  override name = 'ProtobufError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ProtobufReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.#pos >= this.#bytes.length;
  }

  #need(count: number, what: string): void {
    if (this.#pos + count > this.#bytes.length) {
      throw new ProtobufError(`truncated ${what} at byte ${this.#pos} (needs ${count}, ${this.#bytes.length - this.#pos} left)`);
    }
  }

  /** A varint as a bigint (int64/uint64 need all 64 bits). */
  varintBig(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.#need(1, 'varint');
      const byte = this.#bytes[this.#pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.#pos}`);
  }

  /** A varint that fits a JavaScript number (tags, lengths, enums, bools, uint32). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      this.#need(1, 'varint');
      const byte = this.#bytes[this.#pos++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.#pos}`);
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const at = this.#pos;
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    if (field === 0) throw new ProtobufError(`field number 0 at byte ${at}`);
    return { field, wire: tag & 7 };
  }

  fixed64(): bigint {
    this.#need(8, 'fixed64');
    const value = this.#view.getBigUint64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  fixed32(): number {
    this.#need(4, 'fixed32');
    const value = this.#view.getUint32(this.#pos, true);
    this.#pos += 4;
    return value;
  }

  double(): number {
    this.#need(8, 'double');
    const value = this.#view.getFloat64(this.#pos, true);
    this.#pos += 8;
    return value;
  }

  bytes(): Uint8Array {
    const length = this.varint();
    this.#need(length, 'length-delimited field');
    const value = this.#bytes.subarray(this.#pos, this.#pos + length);
    this.#pos += length;
    return value;
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips a field of an unknown number, as protobuf requires for forward compatibility. */
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.#skipBytes(8);
    else if (wire === WIRE_LENGTH) this.bytes();
    else if (wire === WIRE_FIXED32) this.#skipBytes(4);
    else throw new ProtobufError(`unsupported wire type ${wire} at byte ${this.#pos}`);
  }

  #skipBytes(count: number): void {
    this.#need(count, 'fixed field');
    this.#pos += count;
  }

  /** Asserts the field has the wire type its schema says. */
  expect(wire: number, want: number, what: string): void {
    if (wire !== want) throw new ProtobufError(`${what} has wire type ${wire}, expected ${want} (at byte ${this.#pos})`);
  }
}

/** Encodes a varint (for the few small messages the receiver writes). */
export function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}
