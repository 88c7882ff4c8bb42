// The governance system on the local chain, as the indexer tests drive it (scripts/drivers/local-chain.ts deploys it).
export {
  connectLocalChain,
  deploySystem,
  HOLDINGS,
  type Connection,
  type DeployedSystem,
} from "../../../scripts/drivers/local-chain.js";
