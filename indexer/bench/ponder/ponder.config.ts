// Ponder's configuration for `npm run bench:indexer` (indexer/bench/indexer.ts): the bench's local Hardhat chain and
// the CuriaToken proxy of the deployment record it just wrote. Every input comes from the environment the bench sets.
import { readFileSync } from "node:fs";
import { createConfig } from "ponder";
import { curiaTokenAbi } from "../../../protocol/src/generated/abis";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set (indexer/bench/indexer.ts sets it)`);
  return value;
}

const deployment = JSON.parse(readFileSync(required("PONDER_BENCH_DEPLOYMENT"), "utf8")) as {
  chainId: number;
  contracts: { CuriaToken?: { proxy: string; startBlock: number } };
};
const token = deployment.contracts.CuriaToken;
if (token === undefined) throw new Error("the deployment record has no CuriaToken");

export default createConfig({
  // PGlite (Postgres in WASM, in process): Ponder's default store, no server to run.
  database: { kind: "pglite", directory: required("PONDER_BENCH_DATABASE") },
  chains: {
    // The local indexer polls every 100 ms; Ponder's floor is the same. disableCache: a fresh chain every run.
    local: { id: deployment.chainId, rpc: required("PONDER_BENCH_RPC_URL"), pollingInterval: 100, disableCache: true },
  },
  contracts: {
    CuriaToken: {
      chain: "local",
      abi: curiaTokenAbi,
      address: token.proxy as `0x${string}`,
      startBlock: token.startBlock,
      // The bench's blocks only: nothing after them is indexed live (the local indexer is timed on the same range).
      endBlock: Number(required("PONDER_BENCH_END_BLOCK")),
    },
  },
});
