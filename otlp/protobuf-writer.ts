/**
 * A protobuf wire-format writer (https://protobuf.dev/programming-guides/encoding/) tuned for
 * OTLP export: one pass, each message written straight into a buffer of its own sized from the
 * previous messages (no copy at the end), ids written from hex without an intermediate array, ASCII
 * strings written and checked in the same loop.
 *
 * OpenTelemetry's writer (`@opentelemetry/otlp-transformer`) walks every span twice (a size
 * estimate, then the write) and allocates a byte array per id; at ~3 µs a span that was the largest
 * per-request cost of a traced server here. Length prefixes are reserved and fixed up afterwards
 * instead, moving the body only when the reserve was wrong.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

const TWO_32 = 0x1_0000_0000;
const utf8 = new TextEncoder();

// Hex digit → value, -1 for anything else (ids are validated before they get here).
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[97 + i] = HEX[65 + i] = 10 + i;

function varintSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x20_0000 ? 3 : value < 0x1000_0000 ? 4 : 5;
}

function allocate(bytes: number): Uint8Array {
  // allocUnsafe: no zero-filling of bytes that are written at once. Seen as a plain Uint8Array so
  // that every buffer the hot loops index has the same type (a Buffer is a subclass).
  const buffer = Buffer.allocUnsafe(bytes);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, bytes);
}

export class ProtobufWriter {
  buf: Uint8Array;
  pos = 0;
  #view: DataView;

  constructor(initialBytes = 64 * 1024) {
    this.buf = allocate(initialBytes);
    this.#view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /**
   * Starts a new message in a new buffer of `bytes` (the caller's estimate; it grows if short).
   * The previous message's bytes stay valid: {@link finish} handed them out without a copy.
   */
  start(bytes: number): void {
    this.#use(allocate(Math.max(64, Math.ceil(bytes))));
    this.pos = 0;
  }

  /**
   * What was written, without a copy (copying a batch's bytes out of a reused buffer cost a fifth
   * of the encoding time). Call {@link start} before writing the next message.
   */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  #use(buf: Uint8Array): void {
    this.buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = allocate(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.#use(grown);
  }

  /** A varint of a non-negative integer up to 2^53. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (value <= 0xffff_ffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buf[pos++] = v;
      this.pos = pos;
    } else {
      this.varint64(value >>> 0, Math.floor(value / TWO_32) >>> 0);
    }
  }

  /** A 64-bit varint from its two 32-bit halves (two's complement for negatives). */
  varint64(low: number, high: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (high > 0 || low > 0x7f) {
      buf[pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[pos++] = low;
    this.pos = pos;
  }

  /** An int64 varint of any integer a double holds exactly (negatives as 10 bytes, as protobuf says). */
  int64(value: number): void {
    if (value >= 0) return this.varint(value);
    const abs = -value;
    let low = ~(abs >>> 0) >>> 0;
    let high = ~(Math.floor(abs / TWO_32) >>> 0) >>> 0;
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
    this.varint64(low, high);
  }

  tag(field: number, wire: number): void {
    const value = (field << 3) | wire;
    if (value < 0x80) {
      this.ensure(1);
      this.buf[this.pos++] = value;
    } else this.varint(value);
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.#view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.#view.setUint32(this.pos, low >>> 0, true);
    this.#view.setUint32(this.pos + 4, high >>> 0, true);
    this.pos += 8;
  }

  /** Nanoseconds `seconds * 1e9 + nanos` as fixed64, exact without BigInt (the product exceeds 2^53). */
  fixed64Nanos(seconds: number, nanos: number): void {
    // seconds = upper * 2^16 + lower; each part times 1e9 stays below 2^53. Remainders by powers
    // of two are taken with bit operations (`& 0xffff`, `>>> 0` keep the low 16 and 32 bits of any
    // integer below 2^53): `%` on a double that is not a small integer is a call into C (fmod).
    const lower = (seconds & 0xffff) * 1e9 + nanos;
    const upper = Math.floor(seconds / 0x1_0000) * 1e9;
    const lowSum = (upper & 0xffff) * 0x1_0000 + (lower >>> 0);
    const high = Math.floor(upper / 0x1_0000) + Math.floor(lower / TWO_32) + Math.floor(lowSum / TWO_32);
    this.fixed64(lowSum >>> 0, high);
  }

  double(value: number): void {
    this.ensure(8);
    this.#view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A length-delimited UTF-8 string. */
  string(value: string): void {
    const length = value.length;
    if (length < 0x80) {
      this.ensure(1 + length);
      const buf = this.buf;
      const start = this.pos;
      let pos = start + 1;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code > 0x7f) return this.#utf8(value);
        buf[pos++] = code;
      }
      buf[start] = length;
      this.pos = pos;
      return;
    }
    this.#utf8(value);
  }

  #utf8(value: string): void {
    // At most 3 bytes per UTF-16 unit; the length prefix is reserved at its largest and moved.
    const most = value.length * 3;
    const reserve = varintSize(most);
    this.ensure(reserve + most);
    const start = this.pos;
    const { written } = utf8.encodeInto(value, this.buf.subarray(start + reserve));
    this.pos = start + reserve + written;
    this.end(start, reserve);
  }

  /** Bytes already in wire form (a cached field), copied as they are. */
  raw(bytes: Uint8Array): void {
    const length = bytes.length;
    this.ensure(length);
    const buf = this.buf;
    let pos = this.pos;
    // A loop beats `set` for the few bytes of a key (set has a fixed cost per call).
    if (length < 16) for (let i = 0; i < length; i++) buf[pos++] = bytes[i]!;
    else {
      buf.set(bytes, pos);
      pos += length;
    }
    this.pos = pos;
  }

  /** Length-delimited raw bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** A trace or span id from lower- or upper-case hex, as `bytes`. */
  hexId(hex: string): void {
    const length = hex.length >>> 1;
    this.ensure(1 + length);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = length;
    for (let i = 0; i < length; i++) {
      buf[pos++] = (HEX[hex.charCodeAt(2 * i)]! << 4) | HEX[hex.charCodeAt(2 * i + 1)]!;
    }
    this.pos = pos;
  }

  /**
   * Reserves `reserve` bytes for the length of a nested message; pass the result to {@link end}.
   * Reserve what the message will most likely need (1 byte up to 127, 2 up to 16 KiB).
   */
  begin(reserve: number): number {
    this.ensure(reserve);
    const start = this.pos;
    this.pos += reserve;
    return start;
  }

  /** Writes the length of the message begun at `start`, moving its body if the reserve was wrong. */
  end(start: number, reserve: number): void {
    const length = this.pos - start - reserve;
    const size = varintSize(length);
    if (size !== reserve) {
      this.ensure(size - reserve);
      this.buf.copyWithin(start + size, start + reserve, this.pos);
      this.pos += size - reserve;
    }
    let at = start;
    let v = length;
    while (v > 0x7f) {
      this.buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[at] = v;
  }
}
