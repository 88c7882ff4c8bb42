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

/** The stub runtime's layout constants (AssemblyScript std/assembly/rt/common.ts). */
const AL_SIZE = 16;
const AL_MASK = AL_SIZE - 1;
const BLOCK_OVERHEAD = 4;
const OBJECT_OVERHEAD = 16;
/** Arena size: 64 KiB less 4 bytes, ≡ 12 (mod 16) as `newArena` needs. */
const ARENA_BYTES = 64 * 1024 - 4;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Larger objects are allocated by the module itself. */
const MAX_ARENA_OBJECT = 8 * 1024;

/**
 * Objects written once and copied as a whole for each later use (a block's or a transaction's fields, the same for
 * every event of it): their bytes as written at `base`, and the offsets (from `base`) of the words that point inside
 * them, which a copy moves by as much as the copy is moved.
 */
export interface AscImage {
  base: number;
  bytes: Uint8Array;
  pointers: number[];
  root: number;
}

export class AscMemory {
  /** Images made in this memory (class ids in their headers are this module's), by what they were made from. */
  readonly images = new WeakMap<object, AscImage>();
  /** Allocations that left the arena (a new arena, a large object): an image recorded across one is not contiguous. */
  private arenaBreaks = 0;
  /** Class ids by TypeId (-1: not asked yet): looked up on every allocation. */
  private readonly classIds = new Int32Array(64).fill(-1);
  /** Strings already in this module's memory: AssemblyScript strings are immutable and the stub runtime never frees. */
  private readonly interned = new Map<string, number>();
  private readonly strings = new Map<number, string>();
  private view: DataView;
  private bytes: Uint8Array;
  private words: Uint32Array;
  private halfwords: Uint16Array;
  /**
   * The end of the newest object this host had the module allocate (an arena, a large object): the stub runtime
   * allocates upwards, so its heap reaches at least this far (and, as the host allocates for every event, not much
   * further).
   */
  heapTop = 0;
  /** Where the arena's next block starts, and where the arena ends (0, 0: no arena yet). */
  private arenaNext = 0;
  private arenaEnd = 0;

  constructor(private readonly exports: AscExports) {
    this.view = new DataView(exports.memory.buffer);
    this.bytes = new Uint8Array(exports.memory.buffer);
    this.words = new Uint32Array(exports.memory.buffer);
    this.halfwords = new Uint16Array(exports.memory.buffer);
  }

  /** Memory can grow during any allocation, which detaches the old buffer (its views then read as empty). */
  private refresh(): void {
    if (this.bytes.byteLength === 0) {
      this.view = new DataView(this.exports.memory.buffer);
      this.bytes = new Uint8Array(this.exports.memory.buffer);
      this.words = new Uint32Array(this.exports.memory.buffer);
      this.halfwords = new Uint16Array(this.exports.memory.buffer);
    }
  }

  classId(typeId: TypeIdValue): number {
    let id = this.classIds[typeId]!;
    if (id === -1) {
      id = this.exports.id_of_type(typeId);
      this.classIds[typeId] = id;
    }
    return id;
  }

  /**
   * Allocates an object as the stub runtime's `__new` would, mostly without calling into the module: small objects
   * are carved out of an arena (one `__new` of an ArrayBuffer nothing references), each with the header `__new`
   * writes (block size, two zero GC words, class id, byte size) at the alignment it keeps. The stub runtime never
   * frees or moves anything except through `__realloc`/`__free` on the last block of memory, which an arena block
   * only is when it ends the arena, after which the arena is never used again. A call into WASM per object was a
   * fifth of indexing time.
   */
  allocate(size: number, typeId: TypeIdValue): number {
    const classId = this.classId(typeId);
    // computeSize(OBJECT_OVERHEAD + size): what the stub records in the block header.
    const blockSize = ((OBJECT_OVERHEAD + size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
    if (size > MAX_ARENA_OBJECT) {
      this.arenaBreaks += 1;
      const pointer = this.exports.__new(size, classId);
      this.heapTop = Math.max(this.heapTop, pointer + size);
      this.refresh();
      return pointer;
    }
    if (this.arenaNext + BLOCK_OVERHEAD + blockSize > this.arenaEnd) this.newArena();
    this.refresh();
    // Payloads are not cleared, as `__new` does not clear them: every writer here fills all of an object's bytes.
    const ptr = this.arenaNext + BLOCK_OVERHEAD;
    if (LITTLE_ENDIAN) {
      // Headers are 4-byte aligned: whole words through a Uint32Array, in WASM's (and this machine's) byte order.
      const words = this.words;
      const block = this.arenaNext >>> 2;
      words[block] = blockSize; // mmInfo
      words[block + 1] = 0; // gcInfo
      words[block + 2] = 0; // gcInfo2
      words[block + 3] = classId; // rtId
      words[block + 4] = size; // rtSize
    } else {
      const view = this.view;
      view.setUint32(this.arenaNext, blockSize, true);
      view.setUint32(ptr, 0, true);
      view.setUint32(ptr + 4, 0, true);
      view.setUint32(ptr + 8, classId, true);
      view.setUint32(ptr + 12, size, true);
    }
    this.arenaNext = ptr + blockSize;
    return ptr + OBJECT_OVERHEAD;
  }

  /**
   * Starts an image of at most `bytes` bytes: the objects allocated until `endImage` then lie contiguously from the
   * returned offset. undefined when no arena can hold that much.
   */
  beginImage(bytes: number): { start: number; breaks: number } | undefined {
    if (!LITTLE_ENDIAN || bytes > ARENA_BYTES - AL_SIZE) return undefined;
    if (this.arenaNext + bytes > this.arenaEnd) this.newArena();
    this.refresh();
    return { start: this.arenaNext, breaks: this.arenaBreaks };
  }

  /**
   * The image of what was allocated since `beginImage` (`pointers`: absolute addresses of the words that point inside
   * it; `root`: the object to return for each copy), or undefined when an allocation left the arena meanwhile.
   */
  endImage(begun: { start: number; breaks: number }, pointers: number[], root: number): AscImage | undefined {
    if (this.arenaBreaks !== begun.breaks) return undefined;
    this.refresh();
    return {
      base: begun.start,
      bytes: this.bytes.slice(begun.start, this.arenaNext),
      pointers: pointers.map((p) => p - begun.start),
      root,
    };
  }

  /** A copy of `image`'s objects: their bytes, with the words that point inside them moved along. */
  writeImage(image: AscImage): number {
    const length = image.bytes.length;
    if (this.arenaNext + length > this.arenaEnd) this.newArena();
    this.refresh();
    const at = this.arenaNext;
    this.bytes.set(image.bytes, at);
    const delta = at - image.base;
    const words = this.words;
    for (const offset of image.pointers) words[(at + offset) >>> 2] = words[(at + offset) >>> 2]! + delta;
    // Blocks keep their 16-byte object alignment: the image started where an allocation would have.
    this.arenaNext = at + length;
    return image.root + delta;
  }

  private newArena(): void {
    this.arenaBreaks += 1;
    // An ArrayBuffer payload P (16-aligned) of ARENA_BYTES ≡ 12 (mod 16) bytes: blocks start at P + 12, so that
    // object pointers keep the stub's 16-byte alignment, and the arena ends where the stub's next block would start.
    const payload = this.exports.__new(ARENA_BYTES, this.classId(TypeId.ArrayBuffer));
    this.heapTop = Math.max(this.heapTop, payload + ARENA_BYTES);
    this.arenaNext = payload + AL_SIZE - BLOCK_OVERHEAD;
    this.arenaEnd = payload + ARENA_BYTES;
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
    if (LITTLE_ENDIAN) {
      // Objects are 16-byte aligned: UTF-16 code units straight into a Uint16Array.
      const halfwords = this.halfwords;
      const start = pointer >>> 1;
      for (let i = 0; i < text.length; i++) halfwords[start + i] = text.charCodeAt(i);
    } else {
      for (let i = 0; i < text.length; i++) this.view.setUint16(pointer + i * 2, text.charCodeAt(i), true);
    }
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
    const bytes = this.bytes;
    // Most values are a few dozen bytes: a loop beats TypedArray#set's fixed cost.
    if (data.length <= 64) for (let i = 0; i < data.length; i++) bytes[buffer + i] = data[i]!;
    else bytes.set(data, buffer);
    const view = this.allocate(12, TypeId.Uint8Array);
    this.setWords3(view, buffer, buffer, data.length);
    return view;
  }

  /** Three u32 fields of a (16-byte aligned) object. */
  private setWords3(pointer: number, a: number, b: number, c: number): void {
    if (LITTLE_ENDIAN) {
      const words = this.words;
      const i = pointer >>> 2;
      words[i] = a;
      words[i + 1] = b;
      words[i + 2] = c;
    } else {
      this.view.setUint32(pointer, a, true);
      this.view.setUint32(pointer + 4, b, true);
      this.view.setUint32(pointer + 8, c, true);
    }
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
    const buffer = this.writeStruct(pointers, TypeId.ArrayBuffer);
    const array = this.allocate(16, typeId);
    this.setWords3(array, buffer, buffer, pointers.length * 4);
    this.setU32(array + 12, pointers.length);
    return array;
  }

  /** An object whose fields are all 32-bit pointers, in declaration order. */
  writeStruct(fields: number[], typeId: TypeIdValue): number {
    const pointer = this.allocate(fields.length * 4, typeId);
    if (LITTLE_ENDIAN) {
      const words = this.words;
      const start = pointer >>> 2;
      for (let i = 0; i < fields.length; i++) words[start + i] = fields[i]!;
    } else {
      for (let i = 0; i < fields.length; i++) this.view.setUint32(pointer + i * 4, fields[i]!, true);
    }
    return pointer;
  }

  /** A two-pointer object (a map entry, an event parameter): writeStruct without the array. */
  writePair(first: number, second: number, typeId: TypeIdValue): number {
    const pointer = this.allocate(8, typeId);
    if (LITTLE_ENDIAN) {
      const words = this.words;
      words[pointer >>> 2] = first;
      words[(pointer >>> 2) + 1] = second;
    } else {
      this.view.setUint32(pointer, first, true);
      this.view.setUint32(pointer + 4, second, true);
    }
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
    if (LITTLE_ENDIAN) {
      // allocate() left the views current: four words in one go (this runs for every field of every entity loaded).
      const words = this.words;
      const i = pointer >>> 2;
      words[i] = kind >>> 0;
      words[i + 1] = 0;
      words[i + 2] = payload >>> 0;
      words[i + 3] = 0;
    } else {
      this.setWords3(pointer, kind >>> 0, 0, payload >>> 0);
      this.setU32(pointer + 12, 0);
    }
    return pointer;
  }

  readEnum(pointer: number): { kind: number; payload: bigint } {
    this.refresh();
    return { kind: this.view.getInt32(pointer, true), payload: this.view.getBigUint64(pointer + 8, true) };
  }

  /** An `AscEnum`'s kind. */
  enumKind(pointer: number): number {
    return this.i32(pointer);
  }

  /** The low 32 bits of an `AscEnum`'s payload: a pointer, an i32 or a bool (no BigInt on the way). */
  enumPayloadU32(pointer: number): number {
    return this.u32(pointer + 8);
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
