// A subgraph mapping module running in Node: instantiates the built WASM with host functions implementing the
// graph-ts imports (store, bigInt, bigDecimal, typeConversion, crypto, log, dataSource, ethereum.decode/encode) and
// calls an event handler with an `ethereum.Event` written into the module's memory.
import { AbiCoder, ParamType, keccak256, toUtf8String, encodeBase58 } from "ethers";
import { AscMemory, bigIntFromSignedLE, bigIntToSignedLE, TypeId, type AscExports, type TypeIdValue } from "./asc.js";
import { BigDecimal, type EntityData, type StoreValue } from "../values.js";
import { memoryFor, type UsedMemory } from "./memory-import.js";

/**
 * Entity store as a mapping sees it during one block: its own writes first, then the database. What get and
 * getInBlock return may be the store's own copy: callers only read it (it is written into the mapping's memory).
 */
export interface HostStore {
  get(entityType: string, id: string): ReadonlyMap<string, StoreValue> | undefined;
  getInBlock(entityType: string, id: string): ReadonlyMap<string, StoreValue> | undefined;
  set(entityType: string, id: string, data: EntityData): void;
  remove(entityType: string, id: string): void;
  loadRelated(entityType: string, id: string, field: string): EntityData[];
}

export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";
export type HostLogger = (level: LogLevel, message: string) => void;

export interface ChainBlock {
  hash: string;
  parentHash: string;
  unclesHash: string;
  author: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface ChainTransaction {
  hash: string;
  index: bigint;
  from: string;
  to: string | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: string;
  nonce: bigint;
}

export interface ChainEventParam {
  name: string;
  type: ParamType;
  value: unknown;
}

/** One log, decoded against its data source's ABI, with the block and transaction it came from. */
export interface ChainEvent {
  address: string;
  logIndex: bigint;
  transactionLogIndex: bigint;
  block: ChainBlock;
  transaction: ChainTransaction;
  params: ChainEventParam[];
}

/** Raised when a handler aborts or a host function fails: a deterministic indexing error, as graph-node sees it. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MappingError";
  }
}

/** Hex ↔ bytes with Node's native codec: ethers' validating versions dominated indexing profiles. */
export function getBytes(hex: string): Uint8Array {
  return Buffer.from(hex.startsWith("0x") ? hex.slice(2) : hex, "hex");
}

export function hexlify(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

const LOG_LEVELS: LogLevel[] = ["critical", "error", "warning", "info", "debug"];
const STORE_KIND = ["String", "Int", "BigDecimal", "Boolean", "Array", "Null", "Bytes", "BigInt", "Int8", "Timestamp"];
const STORE_KIND_INDEX = new Map(STORE_KIND.map((kind, i) => [kind, i]));
const abiCoder = AbiCoder.defaultAbiCoder();

/** Ethereum value kinds (graph-ts ethereum.ValueKind). */
const EthKind = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
} as const;

export interface MappingContext {
  store: HostStore;
  dataSourceAddress: string;
  network: string;
  log: HostLogger;
}

/**
 * One instance of a compiled mapping module. The stub runtime never frees memory, so the indexer makes a fresh
 * instance per batch of blocks and whenever its memory passes a limit (graph-node makes one per trigger): mappings
 * must not keep state in mutable module globals, which graph-node would not carry from one event to the next.
 */
export class MappingInstance {
  private readonly memory: AscMemory;
  private readonly exports: AscExports & Record<string, unknown>;

  /** The memory handed to the module (see wasm/memory-import.ts), undefined when the module made its own. */
  readonly importedMemory: WebAssembly.Memory | undefined;

  constructor(
    module: WebAssembly.Module,
    private readonly context: MappingContext,
    /** A replaced instance's memory to reuse (cleared first). */
    reuse?: UsedMemory,
  ) {
    const imports = buildImports(module, () => this.memory, context);
    this.importedMemory = memoryFor(module, reuse);
    if (this.importedMemory !== undefined) (imports.env ??= {}).memory = this.importedMemory;
    const instance = new WebAssembly.Instance(module, imports);
    this.exports = instance.exports as unknown as AscExports & Record<string, unknown>;
    this.memory = new AscMemory(this.exports);
    const start = this.exports._start;
    if (typeof start === "function") (start as () => void)();
  }

  /**
   * Bytes of linear memory in use, to decide when a fresh instance is due: how far the heap has reached (a reused
   * memory is as large as it grew for the instance before).
   */
  get memoryBytes(): number {
    return this.importedMemory === undefined ? this.exports.memory.buffer.byteLength : this.memory.heapTop;
  }

  /**
   * The memory handed to this instance, for a new instance to reuse, with how far the heap reached (the address the
   * stub runtime hands out next, from one last empty allocation): this instance must not be used afterwards.
   */
  release(): UsedMemory | undefined {
    if (this.importedMemory === undefined) return undefined;
    const top = this.exports.__new(0, this.memory.classId(TypeId.ArrayBuffer)) + 16;
    return { memory: this.importedMemory, top };
  }

  setDataSourceAddress(address: string): void {
    this.context.dataSourceAddress = address;
  }

  handle(handlerName: string, event: ChainEvent): void {
    const handler = this.exports[handlerName];
    if (typeof handler !== "function") throw new MappingError(`mapping has no export '${handlerName}'`);
    const pointer = writeEvent(this.memory, event);
    try {
      (handler as (pointer: number) => void)(pointer);
    } catch (error) {
      if (error instanceof MappingError) throw error;
      throw new MappingError(`${handlerName} failed: ${(error as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------- host functions

type HostFunction = (...args: never[]) => unknown;

function buildImports(
  module: WebAssembly.Module,
  memoryOf: () => AscMemory,
  context: MappingContext,
): WebAssembly.Imports {
  const table = hostFunctions(memoryOf, context);
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") continue;
    const name = entry.module === "env" ? `env.${entry.name}` : entry.name;
    const implementation =
      table[name] ??
      (() => {
        throw new MappingError(`host function '${name}' is not supported by the local indexer`);
      });
    (imports[entry.module] ??= {})[entry.name] = implementation as WebAssembly.ImportValue;
  }
  return imports;
}

/** Host functions a mapping may import but this host refuses when called: a mapping importing one is refused at load. */
const REFUSED_HOST_FUNCTIONS: Record<string, string> = {
  "ethereum.call": "contract calls (emit the data in events instead)",
  "dataSource.create": "templates (dynamic data sources)",
  "dataSource.createWithContext": "templates (dynamic data sources)",
};

let implementedNames: Set<string> | undefined;

/**
 * The host functions among `module`'s imports that this host does not run, each with why: graph-ts's imports it does
 * not implement (ipfs, arweave, box, …) and those it refuses. Checked when the subgraph loads, so that a mapping that
 * would fail at its first call is refused before indexing starts.
 */
export function unsupportedImports(module: WebAssembly.Module): string[] {
  // The table's closures only touch the memory and context when called, never while it is built.
  implementedNames ??= new Set(Object.keys(hostFunctions(() => undefined as never, undefined as never)));
  const unsupported: string[] = [];
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") continue;
    const name = entry.module === "env" ? `env.${entry.name}` : entry.name;
    const refused = REFUSED_HOST_FUNCTIONS[name];
    if (refused !== undefined) unsupported.push(`${name}: ${refused}`);
    else if (!implementedNames.has(name)) unsupported.push(`${name}: not implemented by the local indexer`);
  }
  return unsupported;
}

function hostFunctions(m: () => AscMemory, context: MappingContext): Record<string, HostFunction> {
  const str = (p: number) => m().readString(p);
  const big = (p: number) => m().readBigInt(p);
  const dec = (p: number) => readBigDecimal(m(), p);
  const outBig = (v: bigint) => m().writeBigInt(v);
  const outDec = (v: BigDecimal) => writeBigDecimal(m(), v);
  return {
    "env.abort": (message: number, file: number, line: number, column: number) => {
      const text = message === 0 ? "abort" : str(message);
      const where = file === 0 ? "" : ` in ${str(file)}(${line}:${column})`;
      throw new MappingError(`Mapping aborted${where}, with message: ${text}`);
    },

    // store
    "store.get": (entityType: number, id: number) => {
      const data = context.store.get(str(entityType), str(id));
      return data === undefined ? 0 : writeEntity(m(), data);
    },
    "store.get_in_block": (entityType: number, id: number) => {
      const data = context.store.getInBlock(str(entityType), str(id));
      return data === undefined ? 0 : writeEntity(m(), data);
    },
    "store.set": (entityType: number, id: number, data: number) => {
      context.store.set(str(entityType), str(id), readEntity(m(), data));
    },
    "store.remove": (entityType: number, id: number) => context.store.remove(str(entityType), str(id)),
    "store.loadRelated": (entityType: number, id: number, field: number) => {
      const related = context.store.loadRelated(str(entityType), str(id), str(field));
      const memory = m();
      return memory.writePointerArray(
        related.map((data) => writeEntity(memory, data)),
        TypeId.ArrayStoreValue,
      );
    },

    // log
    "log.log": (level: number, message: number) => {
      const name = LOG_LEVELS[level] ?? "info";
      const text = str(message);
      context.log(name, text);
      if (name === "critical") throw new MappingError(`Critical error logged in mapping: ${text}`);
    },

    // crypto
    "crypto.keccak256": (input: number) => m().writeBytes(getBytes(keccak256(m().readBytes(input)))),

    // typeConversion
    "typeConversion.bytesToString": (bytes: number) =>
      m().writeString(toUtf8String(m().readBytes(bytes)).replace(/\u0000/g, "")),
    "typeConversion.bytesToHex": (bytes: number) => m().writeString(hexlify(m().readBytes(bytes))),
    "typeConversion.bigIntToString": (value: number) => m().writeString(big(value).toString()),
    "typeConversion.bigIntToHex": (value: number) => {
      const v = big(value);
      return m().writeString(v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
    },
    "typeConversion.stringToH160": (text: number) => {
      const hex = str(text).replace(/^0x/, "");
      if (!/^[0-9a-fA-F]{40}$/.test(hex))
        throw new MappingError(`Failed to convert string to Address/H160: '${str(text)}'`);
      return m().writeBytes(getBytes(`0x${hex}`));
    },
    "typeConversion.bytesToBase58": (bytes: number) => m().writeString(encodeBase58(m().readBytes(bytes))),

    // bigInt
    "bigInt.plus": (x: number, y: number) => outBig(big(x) + big(y)),
    "bigInt.minus": (x: number, y: number) => outBig(big(x) - big(y)),
    "bigInt.times": (x: number, y: number) => outBig(big(x) * big(y)),
    "bigInt.dividedBy": (x: number, y: number) => {
      const divisor = big(y);
      if (divisor === 0n) throw new MappingError("attempted to divide BigInt by zero");
      return outBig(big(x) / divisor);
    },
    "bigInt.dividedByDecimal": (x: number, y: number) => outDec(new BigDecimal(big(x), 0).dividedBy(dec(y))),
    "bigInt.mod": (x: number, y: number) => {
      const divisor = big(y);
      if (divisor === 0n) throw new MappingError("attempted to calculate the remainder of a BigInt by zero");
      return outBig(big(x) % divisor);
    },
    "bigInt.pow": (x: number, exponent: number) => outBig(big(x) ** BigInt(exponent & 0xff)),
    "bigInt.fromString": (text: number) => {
      const s = str(text);
      if (!/^-?\d+$/.test(s)) throw new MappingError(`failed to parse BigInt from '${s}'`);
      return outBig(BigInt(s));
    },
    "bigInt.bitOr": (x: number, y: number) => outBig(big(x) | big(y)),
    "bigInt.bitAnd": (x: number, y: number) => outBig(big(x) & big(y)),
    "bigInt.leftShift": (x: number, bits: number) => outBig(big(x) << BigInt(bits & 0xff)),
    "bigInt.rightShift": (x: number, bits: number) => outBig(big(x) >> BigInt(bits & 0xff)),

    // bigDecimal
    "bigDecimal.plus": (x: number, y: number) => outDec(dec(x).plus(dec(y))),
    "bigDecimal.minus": (x: number, y: number) => outDec(dec(x).minus(dec(y))),
    "bigDecimal.times": (x: number, y: number) => outDec(dec(x).times(dec(y))),
    "bigDecimal.dividedBy": (x: number, y: number) => outDec(dec(x).dividedBy(dec(y))),
    "bigDecimal.equals": (x: number, y: number) => (dec(x).equals(dec(y)) ? 1 : 0),
    "bigDecimal.toString": (x: number) => m().writeString(dec(x).toString()),
    "bigDecimal.fromString": (text: number) => outDec(BigDecimal.parse(str(text))),

    // dataSource
    "dataSource.address": () => m().writeBytes(getBytes(context.dataSourceAddress)),
    "dataSource.network": () => m().writeString(context.network),
    "dataSource.context": () => writeEntity(m(), new Map()),
    "dataSource.create": () => {
      throw new MappingError("dataSource.create: templates are not supported by the local indexer yet");
    },
    "dataSource.createWithContext": () => {
      throw new MappingError("dataSource.createWithContext: templates are not supported by the local indexer yet");
    },

    // ethereum (no calls: Curia's events carry everything, see DESIGN.md)
    "ethereum.decode": (types: number, data: number) => {
      const typeText = str(types);
      try {
        const type = ParamType.from(typeText);
        const [value] = abiCoder.decode([type], m().readBytes(data));
        return writeEthereumValue(m(), type, value);
      } catch {
        return 0;
      }
    },
    "ethereum.encode": (value: number) => {
      try {
        const { type, value: plain } = readEthereumValue(m(), value);
        return m().writeBytes(getBytes(abiCoder.encode([type], [plain])));
      } catch {
        return 0;
      }
    },
    "ethereum.call": () => {
      throw new MappingError("ethereum.call is not supported by the local indexer: emit the data in events instead");
    },
  };
}

// ---------------------------------------------------------------------------------------------- BigDecimal

function readBigDecimal(memory: AscMemory, pointer: number): BigDecimal {
  const digits = memory.readBigInt(memory.u32(pointer));
  const exponent = memory.readBigInt(memory.u32(pointer + 4));
  return BigDecimal.normalised(digits, Number(exponent));
}

function writeBigDecimal(memory: AscMemory, value: BigDecimal): number {
  const digits = memory.writeBigInt(value.digits);
  const exponent = memory.writeBigInt(BigInt(value.exponent));
  return memory.writeStruct([digits, exponent], TypeId.BigDecimal);
}

// ---------------------------------------------------------------------------------------------- entities

// A Bytes or BigInt store value read from a mapping keeps the bytes it was read from (`raw`), to write them back
// without converting again: entities such as the protocol totals are loaded and saved by most handlers.

/** Whether `bytes` is the minimal signed little-endian form (as `bigIntToSignedLE` writes it). */
function isMinimalSignedLE(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n === 0) return false;
  if (n === 1) return true;
  const last = bytes[n - 1]!;
  const signOfPrevious = bytes[n - 2]! & 0x80;
  return !((last === 0 && signOfPrevious === 0) || (last === 0xff && signOfPrevious !== 0));
}

/**
 * A BigInt store value read from a mapping, decoded from its bytes only when its number is asked for. Most values a
 * mapping saves are never read as numbers: an entity saved several times in a block (the protocol's totals, a day's
 * statistics) is written to the database once, in its last version, and in between only handed back to the mapping
 * as the bytes it came in. Decoding every BigInt field on every save was a tenth of indexing time.
 */
class LazyBigInt {
  readonly kind = "BigInt" as const;
  private decoded: bigint | undefined;
  /** `raw` is kept only in its canonical form (what converting the number back gives), so it can be written back. */
  readonly raw: Uint8Array | undefined;

  constructor(private readonly bytes: Uint8Array) {
    this.raw = isMinimalSignedLE(bytes) ? bytes : undefined;
  }

  get value(): bigint {
    return (this.decoded ??= bigIntFromSignedLE(this.bytes));
  }

  toJSON(): { kind: "BigInt"; value: bigint } {
    return { kind: this.kind, value: this.value };
  }
}

/** A Bytes store value read from a mapping, made hex only when its text is asked for (see LazyBigInt). */
class LazyBytes {
  readonly kind = "Bytes" as const;
  private hex: string | undefined;

  constructor(readonly raw: Uint8Array) {}

  get value(): string {
    return (this.hex ??= hexlify(this.raw));
  }

  toJSON(): { kind: "Bytes"; value: string } {
    return { kind: this.kind, value: this.value };
  }
}

function readStoreValue(memory: AscMemory, pointer: number): StoreValue {
  const kind = memory.enumKind(pointer);
  const p = memory.enumPayloadU32(pointer);
  switch (STORE_KIND[kind]) {
    case "String":
      return { kind: "String", value: memory.readString(p) };
    case "Int":
      return { kind: "Int", value: p | 0 };
    case "BigDecimal":
      return { kind: "BigDecimal", value: readBigDecimal(memory, p) };
    case "Boolean":
      return { kind: "Boolean", value: p !== 0 };
    case "Array":
      return { kind: "Array", value: memory.readPointerArray(p).map((item) => readStoreValue(memory, item)) };
    case "Null":
      return { kind: "Null" };
    case "Bytes":
      return new LazyBytes(memory.readBytes(p));
    case "BigInt":
      return new LazyBigInt(memory.readBytes(p));
    case "Int8":
      return { kind: "Int8", value: memory.i64(pointer + 8) };
    case "Timestamp":
      return { kind: "Timestamp", value: memory.i64(pointer + 8) };
    default:
      throw new MappingError(`unknown store value kind ${kind}`);
  }
}

function writeStoreValue(memory: AscMemory, value: StoreValue): number {
  const kind = STORE_KIND_INDEX.get(value.kind) ?? -1;
  // 32-bit payloads (pointers, Int, Boolean) skip the BigInt round trip; Int8 and Timestamp carry 64 bits.
  let payload: number;
  switch (value.kind) {
    case "String":
      payload = memory.writeString(value.value);
      break;
    case "Int":
      payload = value.value >>> 0;
      break;
    case "BigDecimal":
      payload = writeBigDecimal(memory, value.value);
      break;
    case "Boolean":
      payload = value.value ? 1 : 0;
      break;
    case "Array":
      payload = memory.writePointerArray(
        value.value.map((item) => writeStoreValue(memory, item)),
        TypeId.ArrayStoreValue,
      );
      break;
    case "Null":
      payload = 0;
      break;
    case "Bytes":
      payload = memory.writeBytes(value.raw ?? getBytes(value.value));
      break;
    case "BigInt":
      payload = memory.writeBytes(value.raw ?? bigIntToSignedLE(value.value));
      break;
    case "Int8":
    case "Timestamp":
      return memory.writeEnum(kind, value.value, TypeId.StoreValue);
  }
  return memory.writeEnumU32(kind, payload, TypeId.StoreValue);
}

function readEntity(memory: AscMemory, pointer: number): EntityData {
  const entries = memory.readPointerArray(memory.u32(pointer));
  const data: EntityData = new Map();
  for (const entry of entries) {
    data.set(memory.readString(memory.u32(entry)), readStoreValue(memory, memory.u32(entry + 4)));
  }
  return data;
}

function writeEntity(memory: AscMemory, data: ReadonlyMap<string, StoreValue>): number {
  const entries = new Array<number>(data.size);
  let i = 0;
  // forEach rather than for-of: no [key, value] pair is made per field (this runs for every entity a mapping loads).
  data.forEach((value, key) => {
    const keyPointer = memory.internString(key);
    const valuePointer = writeStoreValue(memory, value);
    entries[i++] = memory.writePair(keyPointer, valuePointer, TypeId.TypedMapEntryStringStoreValue);
  });
  const array = memory.writePointerArray(entries, TypeId.ArrayTypedMapEntryStringStoreValue);
  return memory.writeStruct([array], TypeId.TypedMapStringStoreValue);
}

// ---------------------------------------------------------------------------------------------- ethereum values

function writeEthereumValue(memory: AscMemory, type: ParamType, value: unknown): number {
  const enumOf = (kind: number, payload: number | bigint) =>
    memory.writeEnum(kind, BigInt(payload), TypeId.EthereumValue);
  const list = (itemType: ParamType, items: readonly unknown[]) =>
    memory.writePointerArray(
      items.map((item) => writeEthereumValue(memory, itemType, item)),
      TypeId.ArrayEthereumValue,
    );
  if (type.isTuple()) {
    const items = value as readonly unknown[];
    const pointers = type.components.map((component, i) => writeEthereumValue(memory, component, items[i]));
    return enumOf(EthKind.TUPLE, memory.writePointerArray(pointers, TypeId.ArrayEthereumValue));
  }
  if (type.isArray()) {
    const items = value as readonly unknown[];
    const kind = type.arrayLength === -1 ? EthKind.ARRAY : EthKind.FIXED_ARRAY;
    return enumOf(kind, list(type.arrayChildren, items));
  }
  const base = type.baseType;
  if (base === "address") return enumOf(EthKind.ADDRESS, memory.writeBytes(getBytes(value as string)));
  if (base === "bool") return enumOf(EthKind.BOOL, value ? 1 : 0);
  if (base === "string") return enumOf(EthKind.STRING, memory.writeString(value as string));
  if (base === "bytes") return enumOf(EthKind.BYTES, memory.writeBytes(getBytes(value as string)));
  if (base.startsWith("bytes")) return enumOf(EthKind.FIXED_BYTES, memory.writeBytes(getBytes(value as string)));
  if (base.startsWith("uint")) return enumOf(EthKind.UINT, memory.writeBigInt(BigInt(value as bigint)));
  if (base.startsWith("int")) return enumOf(EthKind.INT, memory.writeBigInt(BigInt(value as bigint)));
  throw new MappingError(`unsupported ABI type ${type.format()}`);
}

/** Reads an ethereum.Value back into an ABI type and a value ethers can encode (for ethereum.encode). */
function readEthereumValue(memory: AscMemory, pointer: number): { type: ParamType; value: unknown } {
  const { kind, payload } = memory.readEnum(pointer);
  const p = Number(payload & 0xffffffffn);
  const items = () => memory.readPointerArray(p).map((item) => readEthereumValue(memory, item));
  switch (kind) {
    case EthKind.ADDRESS:
      return { type: ParamType.from("address"), value: hexlify(memory.readBytes(p)) };
    case EthKind.FIXED_BYTES: {
      const bytes = memory.readBytes(p);
      return { type: ParamType.from(`bytes${bytes.length}`), value: hexlify(bytes) };
    }
    case EthKind.BYTES:
      return { type: ParamType.from("bytes"), value: hexlify(memory.readBytes(p)) };
    case EthKind.INT:
      return { type: ParamType.from("int256"), value: memory.readBigInt(p) };
    case EthKind.UINT:
      return { type: ParamType.from("uint256"), value: memory.readBigInt(p) };
    case EthKind.BOOL:
      return { type: ParamType.from("bool"), value: payload !== 0n };
    case EthKind.STRING:
      return { type: ParamType.from("string"), value: memory.readString(p) };
    case EthKind.FIXED_ARRAY:
    case EthKind.ARRAY: {
      const values = items();
      const child = values[0]?.type.format() ?? "uint256";
      const suffix = kind === EthKind.ARRAY ? "[]" : `[${values.length}]`;
      return { type: ParamType.from(`${child}${suffix}`), value: values.map((v) => v.value) };
    }
    case EthKind.TUPLE: {
      const values = items();
      return {
        type: ParamType.from(`(${values.map((v) => v.type.format()).join(",")})`),
        value: values.map((v) => v.value),
      };
    }
    default:
      throw new MappingError(`unknown ethereum value kind ${kind}`);
  }
}

// ---------------------------------------------------------------------------------------------- event

/** A block's fields as the bytes written for them (null for an absent one): the same for every event of the block. */
const blockFieldBytes = new WeakMap<ChainBlock, (Uint8Array | null)[]>();

/**
 * Writes `fields` (byte arrays, or null) and then a struct pointing at them, as `writeBlock` and `writeTransaction` do,
 * once per object: later writes copy the first one's image (the same objects, fresh, at a new place).
 */
function writeBytesStruct(
  memory: AscMemory,
  key: object,
  fields: readonly (Uint8Array | null)[],
  typeId: TypeIdValue,
): number {
  const image = memory.images.get(key);
  if (image !== undefined) return memory.writeImage(image);
  // Room for every object and its header (each at most 16 bytes of header and padding besides its payload).
  let bytes = 32 + fields.length * 4;
  for (const field of fields) if (field !== null) bytes += 64 + field.length;
  const begun = memory.beginImage(bytes);
  const pointers: number[] = [];
  const values = fields.map((field) => {
    if (field === null) return 0;
    const view = memory.writeBytes(field);
    pointers.push(view, view + 4); // the Uint8Array's buffer and data start
    return view;
  });
  const struct = memory.writeStruct(values, typeId);
  values.forEach((value, i) => {
    if (value !== 0) pointers.push(struct + i * 4);
  });
  if (begun !== undefined) {
    const made = memory.endImage(begun, pointers, struct);
    if (made !== undefined) memory.images.set(key, made);
  }
  return struct;
}

function writeBlock(memory: AscMemory, block: ChainBlock): number {
  let fields = blockFieldBytes.get(block);
  if (fields === undefined) {
    const num = (v: bigint | null) => (v === null ? null : bigIntToSignedLE(v));
    fields = [
      getBytes(block.hash),
      getBytes(block.parentHash),
      getBytes(block.unclesHash),
      getBytes(block.author),
      getBytes(block.stateRoot),
      getBytes(block.transactionsRoot),
      getBytes(block.receiptsRoot),
      num(block.number),
      num(block.gasUsed),
      num(block.gasLimit),
      num(block.timestamp),
      num(block.difficulty),
      num(block.totalDifficulty),
      num(block.size),
      num(block.baseFeePerGas),
    ];
    blockFieldBytes.set(block, fields);
  }
  // Fresh objects for every event (as graph-node writes them): a handler may modify its event.
  return writeBytesStruct(memory, block, fields, TypeId.EthereumBlock);
}

function writeTransaction(memory: AscMemory, tx: ChainTransaction): number {
  const image = memory.images.get(tx);
  if (image !== undefined) return memory.writeImage(image);
  return writeBytesStruct(
    memory,
    tx,
    [
      getBytes(tx.hash),
      bigIntToSignedLE(tx.index),
      getBytes(tx.from),
      tx.to === null ? null : getBytes(tx.to),
      bigIntToSignedLE(tx.value),
      bigIntToSignedLE(tx.gasLimit),
      bigIntToSignedLE(tx.gasPrice),
      getBytes(tx.input),
      bigIntToSignedLE(tx.nonce),
    ],
    TypeId.EthereumTransaction,
  );
}

function writeEvent(memory: AscMemory, event: ChainEvent): number {
  const params = event.params.map((param) =>
    memory.writePair(
      memory.internString(param.name),
      writeEthereumValue(memory, param.type, param.value),
      TypeId.EventParam,
    ),
  );
  return memory.writeStruct(
    [
      memory.writeBytes(getBytes(event.address)),
      memory.writeBigInt(event.logIndex),
      memory.writeBigInt(event.transactionLogIndex),
      0, // logType: null, as graph-node sends for most chains
      writeBlock(memory, event.block),
      writeTransaction(memory, event.transaction),
      memory.writePointerArray(params, TypeId.ArrayEventParam),
      0, // receipt: only with `receipt: true` in the manifest, which Curia does not need
    ],
    TypeId.EthereumEvent,
  );
}
