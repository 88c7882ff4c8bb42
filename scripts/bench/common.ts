// Shared by the gas benchmarks: receipts to measurements, the environment line, and markdown tables.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { ContractTransactionResponse } from "ethers";
import { getBytes } from "ethers";

export const COMMAND = "npx hardhat run scripts/bench/gas.ts";

/** The target both benchmarks check against: within 5% (inclusive) of the yardstick. */
export const TARGET_PERCENT = 5;

export interface Measurement {
  gasUsed: bigint;
  /** The calldata part of the intrinsic cost (4 gas per zero byte, 16 per other byte). Addresses and ids differ
   * between systems and states, so a few gas of a delta can come from their zero bytes. */
  calldataGas: number;
}

export async function measure(tx: Promise<ContractTransactionResponse>): Promise<Measurement> {
  const response = await tx;
  // wait() throws on a reverted transaction, so a broken scenario stops the benchmark instead of reporting nonsense.
  const receipt = await response.wait();
  if (receipt === null) throw new Error(`no receipt for ${response.hash}`);
  return { gasUsed: receipt.gasUsed, calldataGas: calldataGas(response.data) };
}

export function calldataGas(data: string): number {
  return getBytes(data).reduce((sum, byte) => sum + (byte === 0 ? 4 : 16), 0);
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`scenario drifted: ${message}`);
}

/** (value - base) / base in percent, one decimal. */
export function deltaPercent(value: bigint | number, base: bigint | number): number {
  const v = Number(value);
  const b = Number(base);
  return Math.round(((v - b) / b) * 1000) / 10;
}

export function withinTarget(delta: number): boolean {
  return delta <= TARGET_PERCENT;
}

export const gasFormat = new Intl.NumberFormat("en-US");

export function formatGas(gas: bigint | number): string {
  return gasFormat.format(gas);
}

export function formatDelta(percent: number): string {
  return `${percent > 0 ? "+" : ""}${percent.toFixed(1)}%`;
}

/** A markdown table padded to aligned columns (first column left-aligned, the others right-aligned), so the same
 * text reads well in a terminal and in the .md file. */
export function markdownTable(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => [...(cells[i] ?? "")].length)));
  const pad = (cell: string, i: number) => {
    const fill = " ".repeat(Math.max(0, (widths[i] ?? 0) - [...cell].length));
    return i === 0 ? cell + fill : fill + cell;
  };
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

export interface Environment {
  solc: {
    version: string;
    optimizer: string;
    evmVersion: string;
    viaIR: boolean;
    /** Sources compiled with other settings than the default (hardhat.config.ts's overrides): the IR pipeline. */
    overrides: { source: string; optimizer: string; viaIR: boolean }[];
  };
  hardhat: string;
  openzeppelin: string;
  hardfork: string;
}

export function describeEnvironment(connection: NetworkConnection): Environment {
  const require = createRequire(import.meta.url);
  const profile = hre.config.solidity.profiles.default;
  const compiler = profile?.compilers[0];
  if (compiler === undefined) throw new Error("no Solidity compiler in the default build profile");
  const settings = readSettings(compiler.settings);
  const optimizer = describeOptimizer(settings);
  const overrides = Object.entries(profile?.overrides ?? {})
    .map(([source, override]) => {
      const o = readSettings(override.settings);
      return { source, optimizer: describeOptimizer(o), viaIR: o.viaIR === true };
    })
    .sort((a, b) => a.source.localeCompare(b.source));
  const networkConfig = connection.networkConfig;
  return {
    solc: {
      version: compiler.version,
      optimizer,
      evmVersion: settings.evmVersion ?? "compiler default",
      viaIR: settings.viaIR === true,
      overrides,
    },
    hardhat: (require("hardhat/package.json") as { version: string }).version,
    openzeppelin: (require("@openzeppelin/contracts/package.json") as { version: string }).version,
    hardfork: networkConfig.type === "edr-simulated" ? networkConfig.hardfork : "n/a",
  };
}

interface SolcSettings {
  optimizer?: { enabled?: boolean; runs?: number };
  evmVersion?: string;
  viaIR?: boolean;
}

/** `settings` is solc's free-form settings object: read only the fields reported, defensively. */
function readSettings(settings: unknown): SolcSettings {
  return (settings ?? {}) as SolcSettings;
}

function describeOptimizer(settings: SolcSettings): string {
  if (settings.optimizer?.enabled !== true) return "disabled";
  const runs = settings.optimizer.runs ?? 200;
  return `enabled, ${runs} run${runs === 1 ? "" : "s"}`;
}

/** "viaIR off, except A, B (viaIR on); C (viaIR on, optimizer enabled, 1 run)": how each contract was compiled, not
 * only the default compiler (hardhat.config.ts compiles some sources through the IR pipeline). */
function describePipelines(env: Environment): string {
  const pipeline = (viaIR: boolean) => (viaIR ? "on" : "off");
  const groups = new Map<string, string[]>();
  for (const o of env.solc.overrides) {
    if (o.viaIR === env.solc.viaIR && o.optimizer === env.solc.optimizer) continue;
    const how = `viaIR ${pipeline(o.viaIR)}${o.optimizer === env.solc.optimizer ? "" : `, optimizer ${o.optimizer}`}`;
    const name = path.basename(o.source, ".sol");
    groups.set(how, [...(groups.get(how) ?? []), name]);
  }
  const exceptions = [...groups].map(([how, names]) => `${names.join(", ")} (${how})`);
  return `viaIR ${pipeline(env.solc.viaIR)}${exceptions.length > 0 ? `, except ${exceptions.join("; ")}` : ""}`;
}

export function environmentLines(env: Environment): string {
  return `- Compiler: solc ${env.solc.version}, optimizer ${env.solc.optimizer}, EVM ${env.solc.evmVersion}, ${describePipelines(env)}.
  Chain: Hardhat ${env.hardhat} in-process EDR (hardfork ${env.hardfork}), OpenZeppelin Contracts ${env.openzeppelin}.`;
}

/** Writes `<basename>.md` and `<basename>.json` under the project root. */
export function writeReport(basename: string, markdown: string, json: unknown): void {
  const outputBase = path.join(hre.config.paths.root, basename);
  mkdirSync(path.dirname(outputBase), { recursive: true });
  writeFileSync(`${outputBase}.md`, markdown);
  writeFileSync(
    `${outputBase}.json`,
    `${JSON.stringify(json, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`,
  );
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
