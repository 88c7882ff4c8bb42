// The indexer tests' local chain: one `hardhat node` for the whole run (scripts/drivers/local-chain.ts starts it).
import { startHardhatNode, type LocalChain } from "../../../scripts/drivers/local-chain.js";

export {
  freePort,
  REPO_ROOT,
  startHardhatNode,
  temporaryDirectory,
  type LocalChain,
} from "../../../scripts/drivers/local-chain.js";

let shared: Promise<LocalChain> | undefined;

/**
 * One `hardhat node` for the whole test run: hardhat.config.ts reads CURIA_RPC_URL once, when Hardhat is first
 * imported, so every test file must talk to the same node. Each file deploys its own system on it.
 */
export function sharedHardhatNode(): Promise<LocalChain> {
  if (shared === undefined) {
    shared = startHardhatNode();
    void shared.then((chain) => process.once("exit", () => chain.process.kill("SIGKILL")));
  }
  return shared;
}
