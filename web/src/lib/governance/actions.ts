// Proposal actions in words: the target contract's name, the function and its named arguments, decoded with the
// contracts' ABIs (an unknown target or selector falls back to the raw calldata).
import { decodeFunctionData, formatEther, type AbiFunction, type AbiParameter, type Address, type Hex } from "viem";
import type { AppConfig } from "../config";
import { ABIS, contractAt } from "./contracts";

export interface DecodedArg {
  name: string;
  type: string;
  value: string;
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
}

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

export function decodeCall(config: AppConfig, target: Address, value: bigint, calldata: Hex): DecodedCall {
  const contract = contractAt(config, target);
  const base: DecodedCall = { target, value, args: [], calldata, ...(contract ? { contract } : {}) };
  if (calldata === "0x" || calldata.length < 10) return base;
  // A Curia contract's call decodes against its own ABI only (the jurors' and the validators' pools share one), so
  // nothing is named after a function its target lacks; a call to a contract the config does not know is tried
  // against every Curia ABI.
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
        args: inputs.map((input, i) => ({
          name: input.name || `arg${i}`,
          type: input.type,
          value: formatArg(input, values[i]),
        })),
      };
    } catch {
      // Not this ABI.
    }
  }
  return base;
}

/** One line: `ListingRegistry.setProtocolFee(newFeeBps: 300)` (+ ETH value). */
export function describeCall(call: DecodedCall): string {
  const target = call.contract ?? call.target;
  const value = call.value > 0n ? ` with ${formatEther(call.value)} ETH` : "";
  if (!call.functionName) return `call ${target} with data ${call.calldata.slice(0, 10)}…${value}`;
  return `${target}.${call.functionName}(${call.args.map((a) => `${a.name}: ${a.value}`).join(", ")})${value}`;
}
