// Proposal templates: each turns form input into one call for the timelock to make, or says what is wrong with the
// input (field → message). Nothing here talks to the chain: the form validates before anything is simulated or sent.
import {
  encodeFunctionData,
  isAddress,
  isHex,
  parseAbiItem,
  parseEther,
  getAddress,
  type AbiFunction,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";
import type { AppConfig } from "../config";
import { curiaTokenAbi, listingRegistryAbi } from "@curia/protocol";
import type { ProposalCall } from "../chain/governor";
import { parseCur, formatCur } from "../format";
import { ABIS, setterFunction, type GovernedContract } from "./contracts";

export type Errors = Record<string, string>;
export type TemplateResult = { ok: true; call: ProposalCall; summary: string } | { ok: false; errors: Errors };

const fail = (errors: Errors): TemplateResult => ({ ok: false, errors });

// ---------------------------------------------------------------- typed inputs from an ABI

/** One text field of a generic ABI form; tuple components are flattened to `parent.child` paths. */
export interface AbiField {
  path: string;
  label: string;
  type: string;
}

export function fieldsFor(params: readonly AbiParameter[], prefix = ""): AbiField[] {
  return params.flatMap((param, i) => {
    const name = param.name || `arg${i}`;
    const path = prefix ? `${prefix}.${name}` : name;
    if (param.type === "tuple" && "components" in param && param.components) {
      return fieldsFor(param.components, path);
    }
    return [{ path, label: path, type: param.type }];
  });
}

/** Parses one typed value from text; throws an Error with a message for people. */
export function parseTyped(type: string, text: string): unknown {
  const raw = text.trim();
  if (type.endsWith("]")) {
    const inner = type.replace(/\[\d*\]$/, "");
    if (raw === "") return [];
    return raw.split(",").map((part) => parseTyped(inner, part));
  }
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int) {
    const clean = raw.replace(/[_,\s]/g, "");
    if (!/^-?\d+$/.test(clean)) throw new Error("a whole number");
    const value = BigInt(clean);
    const bits = BigInt(int[2] || "256");
    const unsigned = int[1] === "u";
    const min = unsigned ? 0n : -(1n << (bits - 1n));
    const max = unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (value < min || value > max) throw new Error(`between ${min} and ${max}`);
    return value;
  }
  if (type === "address") {
    if (!isAddress(raw, { strict: false })) throw new Error("an address (0x and 40 hex digits)");
    return getAddress(raw);
  }
  if (type === "bool") {
    if (raw === "true") return true;
    if (raw === "false") return false;
    throw new Error("true or false");
  }
  if (type === "string") return raw;
  const bytes = /^bytes(\d*)$/.exec(type);
  if (bytes) {
    if (!isHex(raw)) throw new Error("hex bytes (0x…)");
    const size = Number(bytes[1] || 0);
    if (size > 0 && raw.length !== 2 + size * 2) throw new Error(`exactly ${size} bytes`);
    if (size === 0 && raw.length % 2 !== 0) throw new Error("a whole number of bytes");
    return raw;
  }
  throw new Error(`unsupported type ${type}`);
}

/** Builds the argument list of `params` from flattened field values, collecting every field's error. */
export function buildArgs(
  params: readonly AbiParameter[],
  values: Record<string, string>,
  errors: Errors,
  prefix = "",
): unknown[] {
  return params.map((param, i) => {
    const name = param.name || `arg${i}`;
    const path = prefix ? `${prefix}.${name}` : name;
    if (param.type === "tuple" && "components" in param && param.components) {
      const inner = buildArgs(param.components, values, errors, path);
      return Object.fromEntries(param.components.map((c, j) => [c.name || `arg${j}`, inner[j]]));
    }
    try {
      return parseTyped(param.type, values[path] ?? "");
    } catch (error) {
      errors[path] = `Enter ${(error as Error).message}.`;
      return undefined;
    }
  });
}

/** Flattens a value read from the chain (a struct) into field values, to prefill a form with the current setting. */
export function valuesFrom(
  params: readonly AbiParameter[],
  values: readonly unknown[],
  prefix = "",
): Record<string, string> {
  const out: Record<string, string> = {};
  params.forEach((param, i) => {
    const name = param.name || `arg${i}`;
    const path = prefix ? `${prefix}.${name}` : name;
    const value = values[i];
    if (param.type === "tuple" && "components" in param && param.components && typeof value === "object" && value) {
      const record = value as Record<string, unknown>;
      Object.assign(
        out,
        valuesFrom(
          param.components,
          param.components.map((c, j) => record[c.name || `arg${j}`]),
          path,
        ),
      );
    } else if (value !== undefined) {
      out[path] = Array.isArray(value) ? value.map(String).join(",") : String(value);
    }
  });
  return out;
}

// ---------------------------------------------------------------- templates

/** Change the marketplace protocol fee: a percentage with at most two decimals, 0–100. */
export function protocolFeeTemplate(config: AppConfig, percentText: string): TemplateResult {
  const text = percentText.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return fail({ fee: "Enter a percentage like 3 or 2.5 (at most two decimals)." });
  const bps = Math.round(Number(text) * 100);
  if (bps > 10_000) return fail({ fee: "The fee cannot exceed 100%." });
  return {
    ok: true,
    call: {
      target: config.contracts.ListingRegistry,
      value: 0n,
      calldata: encodeFunctionData({ abi: listingRegistryAbi, functionName: "setProtocolFee", args: [bps] }),
    },
    summary: `Set the marketplace protocol fee to ${text}% (${bps} bps)`,
  };
}

/** Any governed setting: the setter's arguments from a generic typed form. */
export function settingTemplate(
  config: AppConfig,
  contract: GovernedContract,
  functionName: string,
  values: Record<string, string>,
): TemplateResult {
  const fn = setterFunction(contract, functionName);
  if (!fn) return fail({ function: `${contract} has no function ${functionName}.` });
  const errors: Errors = {};
  const args = buildArgs(fn.inputs, values, errors);
  if (Object.keys(errors).length > 0) return fail(errors);
  return {
    ok: true,
    call: {
      target: config.contracts[contract],
      value: 0n,
      calldata: encodeFunctionData({ abi: [fn], functionName: fn.name, args }),
    },
    summary: `${contract}.${fn.name}(${fieldsFor(fn.inputs)
      .map((f) => values[f.path]?.trim())
      .join(", ")})`,
  };
}

/** Send CUR from the treasury (the timelock's balance). */
export function treasuryTransferTemplate(
  config: AppConfig,
  recipient: string,
  amountText: string,
  treasuryBalance?: bigint,
): TemplateResult {
  const errors: Errors = {};
  if (!isAddress(recipient.trim(), { strict: false })) errors.recipient = "Enter the recipient's address (0x…).";
  const amount = parseCur(amountText);
  if (amount === undefined || amount === 0n) errors.amount = "Enter an amount of CUR greater than zero.";
  else if (treasuryBalance !== undefined && amount > treasuryBalance) {
    errors.amount = `The treasury holds only ${formatCur(treasuryBalance)}.`;
  }
  if (Object.keys(errors).length > 0 || amount === undefined) return fail(errors);
  const to = getAddress(recipient.trim());
  return {
    ok: true,
    call: {
      target: config.contracts.CuriaToken,
      value: 0n,
      calldata: encodeFunctionData({ abi: curiaTokenAbi, functionName: "transfer", args: [to, amount] }),
    },
    summary: `Send ${formatCur(amount)} from the treasury to ${to}`,
  };
}

/** Upgrade a Curia contract's implementation (UUPS `upgradeToAndCall`), optionally with an initialisation call. */
export function upgradeTemplate(
  config: AppConfig,
  contract: GovernedContract,
  implementation: string,
  initCalldata: string,
): TemplateResult {
  const errors: Errors = {};
  if (!isAddress(implementation.trim(), { strict: false })) {
    errors.implementation = "Enter the new implementation's address (0x…).";
  }
  const data = initCalldata.trim() || "0x";
  if (!isHex(data) || data.length % 2 !== 0) errors.initCalldata = "Enter hex calldata (0x…) or leave it empty.";
  if (Object.keys(errors).length > 0) return fail(errors);
  const impl = getAddress(implementation.trim());
  const upgrade = ABIS[contract].find(
    (item): item is AbiFunction => item.type === "function" && item.name === "upgradeToAndCall",
  );
  if (!upgrade) return fail({ contract: `${contract} is not upgradeable.` });
  return {
    ok: true,
    call: {
      target: config.contracts[contract],
      value: 0n,
      calldata: encodeFunctionData({ abi: [upgrade], functionName: "upgradeToAndCall", args: [impl, data as Hex] }),
    },
    summary: `Upgrade ${contract} to the implementation at ${impl}`,
  };
}

/**
 * Any call: a target, an ETH value, and either a function signature with comma-separated arguments
 * (`transfer(address,uint256)` + `0xabc…, 1000`) or raw calldata.
 */
export function customCallTemplate(
  target: string,
  valueText: string,
  signature: string,
  argsText: string,
  rawCalldata: string,
): TemplateResult {
  const errors: Errors = {};
  if (!isAddress(target.trim(), { strict: false })) errors.target = "Enter the target contract's address (0x…).";
  let value = 0n;
  const valueClean = valueText.trim() || "0";
  if (!/^\d+(\.\d{1,18})?$/.test(valueClean)) errors.value = "Enter an ETH amount like 0 or 0.5.";
  else value = parseEther(valueClean);
  let calldata: Hex = "0x";
  if (signature.trim()) {
    let fn: AbiFunction | undefined;
    try {
      const item = parseAbiItem(`function ${signature.trim().replace(/^function\s+/, "")}`);
      if (item.type === "function") fn = item;
    } catch {
      errors.signature = "Enter a function signature like setProtocolFee(uint16).";
    }
    if (fn) {
      const parts = argsText.trim() === "" ? [] : splitArgs(argsText);
      if (parts.length !== fn.inputs.length) {
        errors.args = `${fn.name} takes ${fn.inputs.length} argument(s); ${parts.length} given.`;
      } else {
        const values = Object.fromEntries(fn.inputs.map((input, i) => [input.name || `arg${i}`, parts[i] ?? ""]));
        const argErrors: Errors = {};
        const args = buildArgs(fn.inputs, values, argErrors);
        const first = Object.entries(argErrors)[0];
        if (first) errors.args = `Argument ${first[0]}: ${first[1]}`;
        else calldata = encodeFunctionData({ abi: [fn], functionName: fn.name, args });
      }
    }
  } else if (rawCalldata.trim()) {
    const raw = rawCalldata.trim();
    if (!isHex(raw) || raw.length % 2 !== 0) errors.calldata = "Enter hex calldata (0x…).";
    else calldata = raw as Hex;
  } else if (value === 0n) {
    errors.signature = "Give a function signature, raw calldata, or an ETH value to send.";
  }
  if (Object.keys(errors).length > 0) return fail(errors);
  const to: Address = getAddress(target.trim());
  return { ok: true, call: { target: to, value, calldata }, summary: `Call ${to}` };
}

/** Splits `a, [b, c], d` at top-level commas. */
function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "[" || ch === "(") depth++;
    if (ch === "]" || ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  parts.push(current.trim());
  return parts.map((p) => p.replace(/^\[(.*)\]$/, "$1"));
}

/** Title and body → the Governor description (`# Title` then the body), and the checks on them. */
export function proposalDescription(
  title: string,
  body: string,
): { ok: true; description: string } | { ok: false; errors: Errors } {
  const errors: Errors = {};
  const t = title.trim();
  if (t.length < 4) errors.title = "Give the proposal a title (at least 4 characters).";
  else if (t.length > 120) errors.title = "Keep the title under 120 characters.";
  if (t.includes("\n")) errors.title = "The title is one line.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, description: `# ${t}\n\n${body.trim()}`.trimEnd() };
}
