// Reading and writing AssemblyScript objects in a subgraph module's linear memory.
// Layouts follow graph-node's runtime/wasm/src/asc_abi (AssemblyScript 0.19+, the `stub` runtime graph-cli builds
// with): every object is preceded by a header whose last two u32 words are its runtime class id and its byte size;
// objects are allocated with the module's own `__new(size, classId)` and class ids come from `id_of_type(TypeId)`.

/** graph-ts `TypeId` values the host needs (graph-ts global/global.ts). */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
} as const;
export type TypeIdValue = (typeof TypeId)[keyof typeof TypeId];

export interface AscExports {
  memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
  id_of_type(typeId: number): number;
}

const utf16 = new TextDecoder("utf-16le");

export class AscMemory {
  private readonly classIds = new Map<number, number>();
  /** Strings already in this module's memory: AssemblyScript strings are immutable and the stub runtime never frees. */
  private readonly interned = new Map<string, number>();
  private readonly strings = new Map<number, string>();
  private view: DataView;
  private bytes: Uint8Array;

  constructor(private readonly exports: AscExports) {
    this.view = new DataView(exports.memory.buffer);
    this.bytes = new Uint8Array(exports.memory.buffer);
  }

  /** Memory can grow during any allocation, which detaches the old buffer (its views then read as empty). */
  private refresh(): void {
    if (this.bytes.byteLength === 0) {
      this.view = new DataView(this.exports.memory.buffer);
      this.bytes = new Uint8Array(this.exports.memory.buffer);
    }
  }

  classId(typeId: TypeIdValue): number {
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.exports.id_of_type(typeId);
      this.classIds.set(typeId, id);
    }
    return id;
  }

  allocate(size: number, typeId: TypeIdValue): number {
    const pointer = this.exports.__new(size, this.classId(typeId));
    this.refresh();
    return pointer;
  }

  u32(pointer: number): number {
    this.refresh();
    return this.view.getUint32(pointer, true);
  }

  i32(pointer: number): number {
    this.refresh();
    return this.view.getInt32(pointer, true);
  }

  i64(pointer: number): bigint {
    this.refresh();
    return this.view.getBigInt64(pointer, true);
  }

  f64(pointer: number): number {
    this.refresh();
    return this.view.getFloat64(pointer, true);
  }

  setU32(pointer: number, value: number): void {
    this.refresh();
    this.view.setUint32(pointer, value >>> 0, true);
  }

  setI64(pointer: number, value: bigint): void {
    this.refresh();
    this.view.setBigInt64(pointer, value, true);
  }

  /** Byte size recorded in an object's header. */
  size(pointer: number): number {
    return this.u32(pointer - 4);
  }

  // ------------------------------------------------------------------ strings

  readString(pointer: number): string {
    if (pointer === 0) throw new Error("null string pointer");
    // A string at a given address never changes: strings are immutable and the stub runtime never frees. Field
    // names and entity types are literals read again on every store call.
    const known = this.strings.get(pointer);
    if (known !== undefined) return known;
    const length = this.size(pointer);
    this.refresh();
    const text = utf16.decode(this.bytes.subarray(pointer, pointer + length));
    if (this.strings.size < 100_000) this.strings.set(pointer, text);
    return text;
  }

  writeString(text: string): number {
    const pointer = this.allocate(text.length * 2, TypeId.String);
    for (let i = 0; i < text.length; i++) this.view.setUint16(pointer + i * 2, text.charCodeAt(i), true);
    return pointer;
  }

  /** A string the mapping cannot change (field names, entity types), written once per instance. */
  internString(text: string): number {
    let pointer = this.interned.get(text);
    if (pointer === undefined) {
      pointer = this.writeString(text);
      if (this.interned.size < 10_000) this.interned.set(text, pointer);
    }
    return pointer;
  }

  // ------------------------------------------------------------------ byte arrays (Bytes, Address, BigInt, ByteArray)

  readBytes(pointer: number): Uint8Array {
    const buffer = this.u32(pointer);
    const dataStart = this.u32(pointer + 4);
    const byteLength = this.u32(pointer + 8);
    void buffer;
    this.refresh();
    return this.bytes.slice(dataStart, dataStart + byteLength);
  }

  writeBytes(data: Uint8Array): number {
    const buffer = this.allocate(data.length, TypeId.ArrayBuffer);
    this.bytes.set(data, buffer);
    const view = this.allocate(12, TypeId.Uint8Array);
    this.setU32(view, buffer);
    this.setU32(view + 4, buffer);
    this.setU32(view + 8, data.length);
    return view;
  }

  // ------------------------------------------------------------------ BigInt (little-endian two's complement bytes)

  readBigInt(pointer: number): bigint {
    return bigIntFromSignedLE(this.readBytes(pointer));
  }

  writeBigInt(value: bigint): number {
    return this.writeBytes(bigIntToSignedLE(value));
  }

  // ------------------------------------------------------------------ Array<T> of pointers (or 32-bit values)

  readPointerArray(pointer: number): number[] {
    const dataStart = this.u32(pointer + 4);
    const length = this.i32(pointer + 12);
    const result = new Array<number>(length);
    for (let i = 0; i < length; i++) result[i] = this.u32(dataStart + i * 4);
    return result;
  }

  writePointerArray(pointers: number[], typeId: TypeIdValue): number {
    const buffer = this.allocate(pointers.length * 4, TypeId.ArrayBuffer);
    for (let i = 0; i < pointers.length; i++) this.view.setUint32(buffer + i * 4, pointers[i]!, true);
    const array = this.allocate(16, typeId);
    this.setU32(array, buffer);
    this.setU32(array + 4, buffer);
    this.setU32(array + 8, pointers.length * 4);
    this.setU32(array + 12, pointers.length);
    return array;
  }

  /** An object whose fields are all 32-bit pointers, in declaration order. */
  writeStruct(fields: number[], typeId: TypeIdValue): number {
    const pointer = this.allocate(fields.length * 4, typeId);
    for (let i = 0; i < fields.length; i++) this.view.setUint32(pointer + i * 4, fields[i]!, true);
    return pointer;
  }

  /** An `AscEnum`: kind (i32), padding, 64-bit payload (a pointer, an i32, a bool or an i64). */
  writeEnum(kind: number, payload: bigint, typeId: TypeIdValue): number {
    const pointer = this.allocate(16, typeId);
    this.view.setInt32(pointer, kind, true);
    this.view.setUint32(pointer + 4, 0, true);
    this.view.setBigUint64(pointer + 8, BigInt.asUintN(64, payload), true);
    return pointer;
  }

  /** `writeEnum` for a payload that is a pointer, an i32 or a bool (no BigInt on the way). */
  writeEnumU32(kind: number, payload: number, typeId: TypeIdValue): number {
    const pointer = this.allocate(16, typeId);
    this.view.setInt32(pointer, kind, true);
    this.view.setUint32(pointer + 4, 0, true);
    this.view.setUint32(pointer + 8, payload >>> 0, true);
    this.view.setUint32(pointer + 12, 0, true);
    return pointer;
  }

  readEnum(pointer: number): { kind: number; payload: bigint } {
    this.refresh();
    return { kind: this.view.getInt32(pointer, true), payload: this.view.getBigUint64(pointer + 8, true) };
  }
}

export function bigIntFromSignedLE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  // Via hex: much faster than folding BigInt byte by byte.
  const hex = Buffer.from(bytes).reverse().toString("hex");
  const value = BigInt(`0x${hex}`);
  const negative = (bytes[bytes.length - 1]! & 0x80) !== 0;
  return negative ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/** Minimal signed little-endian bytes, as num-bigint's `to_signed_bytes_le` (zero is one 0 byte). */
export function bigIntToSignedLE(value: bigint): Uint8Array {
  let magnitudeHex = (value < 0n ? -value - 1n : value).toString(16);
  if (magnitudeHex.length % 2 === 1) magnitudeHex = `0${magnitudeHex}`;
  // One more byte when the top bit is taken, so that the sign bit stays clear (positive) or set (negative).
  if (Number.parseInt(magnitudeHex.slice(0, 2), 16) >= 0x80) magnitudeHex = `00${magnitudeHex}`;
  const bytes = Buffer.from(magnitudeHex, "hex").reverse();
  if (value < 0n) for (let i = 0; i < bytes.length; i++) bytes[i] = ~bytes[i]! & 0xff;
  return bytes;
}
