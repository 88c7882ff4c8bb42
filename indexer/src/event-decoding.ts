// What a mapping handler receives, made from JSON-RPC data: the graph-ts `ethereum.Block` and `ethereum.Transaction`
// of an event, and its params decoded from the log. Events whose inputs are all static elementary types (most of
// Curia's) are read word by word here, since ethers' decoder, with its checksummed addresses, was a quarter of indexing
// time; any other event, or anything unusual in a log, goes through ethers.
import { Indexed, ParamType, type Result } from "ethers";
import type { RpcBlock, RpcLog, RpcTransaction } from "./chain.js";
import type { DataSource, EventHandlerBinding } from "./subgraph.js";
import { MappingError, type ChainBlock, type ChainEvent, type ChainTransaction } from "./wasm/host.js";

function big(hex: string | undefined): bigint {
  return hex === undefined || hex === "0x" ? 0n : BigInt(hex);
}

export function toChainBlock(block: RpcBlock): ChainBlock {
  return {
    hash: block.hash,
    parentHash: block.parentHash,
    unclesHash: block.sha3Uncles,
    author: block.miner,
    stateRoot: block.stateRoot,
    transactionsRoot: block.transactionsRoot,
    receiptsRoot: block.receiptsRoot,
    number: big(block.number),
    gasUsed: big(block.gasUsed),
    gasLimit: big(block.gasLimit),
    timestamp: big(block.timestamp),
    difficulty: big(block.difficulty),
    totalDifficulty: big(block.totalDifficulty),
    size: block.size === undefined ? null : big(block.size),
    baseFeePerGas: block.baseFeePerGas === undefined ? null : big(block.baseFeePerGas),
  };
}

/** Each transaction's ChainTransaction, made once for all its events (its image in a module's memory is kept by it). */
const chainTransactions = new WeakMap<RpcTransaction, ChainTransaction>();

export function toChainTransaction(tx: RpcTransaction | undefined, log: RpcLog): ChainTransaction {
  if (tx !== undefined) {
    let made = chainTransactions.get(tx);
    if (made === undefined) {
      made = chainTransaction(tx);
      chainTransactions.set(tx, made);
    }
    return made;
  }
  // The node did not return the transaction body: keep what the log says.
  return {
    hash: log.transactionHash,
    index: big(log.transactionIndex),
    from: "0x0000000000000000000000000000000000000000",
    to: null,
    value: 0n,
    gasLimit: 0n,
    gasPrice: 0n,
    input: "0x",
    nonce: 0n,
  };
}

function chainTransaction(tx: RpcTransaction): ChainTransaction {
  return {
    hash: tx.hash,
    index: big(tx.transactionIndex),
    from: tx.from,
    to: tx.to,
    value: big(tx.value),
    gasLimit: big(tx.gas),
    gasPrice: big(tx.gasPrice),
    input: tx.input,
    nonce: big(tx.nonce),
  };
}

const BYTES32 = ParamType.from("bytes32");

/** How one event input is read from a 32-byte word, for events whose inputs are all static elementary types. */
interface WordReader {
  indexed: boolean;
  read(word: string): unknown;
}

const fastReaders = new WeakMap<EventHandlerBinding, WordReader[] | null>();
/** EventFragment.topicHash hashes the signature on every read. */
const topicHashes = new WeakMap<EventHandlerBinding, string>();
const HEX_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;
const ZERO_ADDRESS_PAD = "0".repeat(24);

/** Word readers giving what ethers' coders give (addresses in lower case: only their bytes reach the mapping). */
function wordReaders(binding: EventHandlerBinding): WordReader[] | null {
  let readers = fastReaders.get(binding);
  if (readers !== undefined) return readers;
  readers = [];
  for (const input of binding.fragment.inputs) {
    const type = input.type;
    const indexed = input.indexed === true;
    let match: RegExpExecArray | null;
    if (type === "address") {
      // ethers rejects an address word with high bits set: leave that to it (the whole event falls back).
      readers.push({ indexed, read: (w) => (w.startsWith(ZERO_ADDRESS_PAD) ? `0x${w.slice(24)}` : undefined) });
    } else if (type === "bool") {
      readers.push({ indexed, read: (w) => BigInt(`0x${w}`) !== 0n });
    } else if ((match = /^(u?)int(\d*)$/.exec(type)) !== null) {
      const bits = BigInt(match[2] === "" ? 256 : Number(match[2]));
      const signed = match[1] === "";
      const mask = (1n << bits) - 1n;
      const half = 1n << (bits - 1n);
      readers.push({
        indexed,
        read: (w) => {
          const value = BigInt(`0x${w}`) & mask;
          return signed && value >= half ? value - (1n << bits) : value;
        },
      });
    } else if ((match = /^bytes(\d+)$/.exec(type)) !== null) {
      const size = Number(match[1]);
      readers.push({ indexed, read: (w) => `0x${w.slice(0, size * 2).toLowerCase()}` });
    } else {
      readers = null;
      break;
    }
  }
  fastReaders.set(binding, readers);
  return readers;
}

/** Decodes a log of an event with only static elementary inputs without ethers, or undefined to leave it to ethers. */
function decodeStatic(binding: EventHandlerBinding, log: RpcLog): ChainEvent["params"] | undefined {
  const readers = wordReaders(binding);
  if (readers === null || binding.fragment.anonymous) return undefined;
  const topic0 = log.topics[0];
  let topicHash = topicHashes.get(binding);
  if (topicHash === undefined) {
    topicHash = binding.fragment.topicHash.toLowerCase();
    topicHashes.set(binding, topicHash);
  }
  if (topic0 === undefined || topic0.toLowerCase() !== topicHash) return undefined;
  const data = log.data;
  if (!HEX_DATA.test(data)) return undefined;
  const params: ChainEvent["params"] = [];
  let topic = 1;
  let offset = 2;
  const inputs = binding.fragment.inputs;
  for (let i = 0; i < readers.length; i++) {
    const reader = readers[i]!;
    let word: string;
    if (reader.indexed) {
      const hex = log.topics[topic++];
      if (hex === undefined || !/^0x[0-9a-fA-F]{64}$/.test(hex)) return undefined;
      word = hex.slice(2);
    } else {
      if (data.length < offset + 64) return undefined;
      word = data.slice(offset, offset + 64);
      offset += 64;
    }
    const value = reader.read(word);
    if (value === undefined) return undefined;
    params.push({ name: inputs[i]!.name, type: inputs[i]!, value });
  }
  return params;
}

export function decodeParams(dataSource: DataSource, binding: EventHandlerBinding, log: RpcLog): ChainEvent["params"] {
  // Events of static elementary inputs (most events) are read word by word: ethers' decoder, with its checksummed
  // addresses, was a quarter of indexing time. Anything else, or anything unusual, goes through ethers.
  const fast = decodeStatic(binding, log);
  if (fast !== undefined) return fast;
  let args: Result;
  try {
    // Decode against the bound fragment: Interface.parseLog would re-hash every event signature per log.
    args = dataSource.abi.decodeEventLog(binding.fragment, log.data, log.topics);
  } catch (error) {
    throw new MappingError(`cannot decode ${binding.signature} in ${log.transactionHash}: ${(error as Error).message}`);
  }
  return binding.fragment.inputs.map((input, i) => {
    const value: unknown = args[i];
    // Indexed dynamic values (strings, bytes, arrays) are only a hash in the topic, as graph-node passes them.
    if (value instanceof Indexed) return { name: input.name, type: BYTES32, value: value.hash };
    return { name: input.name, type: input, value };
  });
}
