// Proposal actions in words: the target contract's name, the function and its named arguments, decoded with the
// contracts' ABIs and shown in each setting's own unit (250,000 CUR, 2.5%, 7 days; Curia's contracts by name), from
// the units @curia/protocol declares. An unknown target or selector falls back to the raw calldata, marked as such.
import { decodeFunctionData, formatEther, type AbiFunction, type AbiParameter, type Address, type Hex } from "viem";
import { formatParameter, parameterUnit, type ParameterUnit } from "@curia/protocol";
import type { AppConfig } from "../config";
import { ABIS, contractAt } from "./contracts";

export interface DecodedArg {
  /** The argument's name, a struct's fields as `newParameters.minStake`. */
  name: string;
  type: string;
  /** For people: `250,000 CUR`, `2.5%`, `7 days`, `ListingChallenges (0x…)`. */
  value: string;
  /** The exact value as the ABI encodes it (`250000000000000000000000`), for checking. */
  raw: string;
  unit?: ParameterUnit;
}

export interface DecodedCall {
  target: Address;
  /** Curia contract name, when the target is one. */
  contract?: string;
  value: bigint;
  /** `setProtocolFee(uint16)`; undefined when the selector is unknown. */
  signature?: string;
  functionName?: string;
  args: DecodedArg[];
  calldata: Hex;
  /** Why the call is shown as raw calldata: none of Curia's ABIs has its selector (for its target). */
  undecoded?: "unknown-function" | "unknown-target";
}

/** An ABI value as text, exactly (numbers in full, structs as `{ a: 1, b: 2 }`). */
export function formatArg(param: AbiParameter, value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) {
    const components = "components" in param ? param.components : undefined;
    if (components && !param.type.endsWith("]")) {
      return `{ ${components.map((c, i) => `${c.name ?? i}: ${formatArg(c, value[i])}`).join(", ")} }`;
    }
    return `[${value.map((v) => formatArg({ ...param, type: param.type.replace(/\[\d*\]$/, "") }, v)).join(", ")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const components = "components" in param ? (param.components ?? []) : [];
    const record = value as Record<string, unknown>;
    return `{ ${components.map((c) => `${c.name}: ${formatArg(c, record[c.name ?? ""])}`).join(", ")} }`;
  }
  return String(value);
}

/** One argument, structs flattened to their fields (`newParameters.minStake`), each in its unit. */
function decodedArgs(
  config: AppConfig,
  contract: string | undefined,
  functionName: string,
  params: readonly AbiParameter[],
  values: readonly unknown[],
  prefix = "",
): DecodedArg[] {
  return params.flatMap((param, i) => {
    const name = param.name || `arg${i}`;
    const path = prefix ? `${prefix}.${name}` : name;
    const value = values[i];
    if (param.type === "tuple" && "components" in param && param.components && typeof value === "object" && value) {
      const record = value as Record<string, unknown>;
      const fields = param.components.map((c, j) => (Array.isArray(value) ? value[j] : record[c.name || `arg${j}`]));
      return decodedArgs(config, contract, functionName, param.components, fields, path);
    }
    const raw = formatArg(param, value);
    const unit = contract !== undefined ? parameterUnit(contract, functionName, path) : undefined;
    if (unit !== undefined && typeof value === "bigint") {
      return [{ name: path, type: param.type, value: formatParameter(unit, value), raw, unit }];
    }
    if (unit !== undefined && typeof value === "number") {
      return [{ name: path, type: param.type, value: formatParameter(unit, BigInt(value)), raw, unit }];
    }
    if (param.type === "address" && typeof value === "string") {
      const named = contractAt(config, value);
      return [{ name: path, type: param.type, value: named ? `${named} (${value})` : value, raw }];
    }
    return [{ name: path, type: param.type, value: raw, raw }];
  });
}

export function decodeCall(config: AppConfig, target: Address, value: bigint, calldata: Hex): DecodedCall {
  const contract = contractAt(config, target);
  const base: DecodedCall = { target, value, args: [], calldata, ...(contract ? { contract } : {}) };
  if (calldata === "0x") return base;
  const undecoded: DecodedCall = { ...base, undecoded: contract ? "unknown-function" : "unknown-target" };
  if (calldata.length < 10) return undecoded;
  // A Curia contract's call decodes against its own ABI only (the jurors' and the validators' pools share one), so
  // nothing is named after a function its target lacks; a call to a contract the config does not know is tried
  // against every Curia ABI (shown without units: which contract it is, nobody can tell).
  const abis = contract ? [ABIS[contract]] : [...new Set(Object.values(ABIS))];
  for (const abi of abis) {
    try {
      const decoded = decodeFunctionData({ abi, data: calldata });
      const fn = abi.find(
        (item): item is AbiFunction => item.type === "function" && item.name === decoded.functionName,
      );
      const inputs = fn?.inputs ?? [];
      const values = (decoded.args ?? []) as readonly unknown[];
      return {
        ...base,
        functionName: decoded.functionName,
        signature: `${decoded.functionName}(${inputs.map((i) => i.type).join(",")})`,
        args: decodedArgs(config, contract, decoded.functionName, inputs, values),
      };
    } catch {
      // Not this ABI.
    }
  }
  return undecoded;
}

/** One line: `ListingRegistry.setProtocolFee(newFeeBps: 3%)` (+ ETH value). */
export function describeCall(call: DecodedCall): string {
  const target = call.contract ?? call.target;
  const value = call.value > 0n ? ` with ${formatEther(call.value)} ETH` : "";
  if (!call.functionName) {
    if (call.calldata === "0x") return `send to ${target}${value}`;
    return `call ${target} with data ${call.calldata.slice(0, 10)}… (not decoded)${value}`;
  }
  return `${target}.${call.functionName}(${call.args.map((a) => `${a.name}: ${a.value}`).join(", ")})${value}`;
}
