// What both examples share: the deployment and the chain, the serving key (checked against each listing's on-chain
// serving key), and the middleware core around a model. Configuration, all optional on the local chain:
//   CURIA_RPC_URL (http://127.0.0.1:8545), CURIA_DEPLOYMENT (localhost), CURIA_LISTING (1; ids separated by commas),
//   PORT (8700), CURIA_SERVING_KEY (0x-hex) or CURIA_SERVING_KEY_FILE; on the local chain the default key is the
//   Hardhat test account that is the listings' serving key (public, development only).
import { readFileSync } from "node:fs";
import { inferenceDomain } from "@curia/protocol";
import {
  ChainClock,
  IListingRegistry__factory,
  connectRpc,
  deployedContract,
  loadDeployment,
} from "@curia/protocol/ethers";
import { INPUT_SIZE, createSession, ensureModels } from "@curia/validator";
import { DEV_CHAIN_ID, loadServingKey } from "../src/keys.js";
import { ProviderCore, loadServedListings, type InferFunction } from "../src/middleware/index.js";

export async function setUp(): Promise<{
  core: ProviderCore;
  infer: InferFunction;
  port: number;
  stop(): Promise<void>;
}> {
  const { record } = loadDeployment(process.env.CURIA_DEPLOYMENT ?? "localhost");
  const registryAddress = deployedContract(record, "ListingRegistry").proxy;
  const chain = await connectRpc(process.env.CURIA_RPC_URL ?? "http://127.0.0.1:8545", record);
  const registry = IListingRegistry__factory.connect(registryAddress, chain);
  const listings = (process.env.CURIA_LISTING ?? "1").split(",").map((id) => BigInt(id.trim()));
  const key = await loadServingKey({
    file: process.env.CURIA_SERVING_KEY_FILE,
    env: process.env,
    chainId: BigInt(record.chainId),
    onChainKeys: () => Promise.all(listings.map((id) => registry.servingKeyOf(id))),
  });
  const clock = BigInt(record.chainId) === DEV_CHAIN_ID ? await ChainClock.start(chain) : undefined;
  const core = new ProviderCore({
    domain: inferenceDomain(record.chainId, registryAddress),
    // Refuses to start unless this key is each listing's serving key on-chain.
    listings: await loadServedListings(registry, listings, key.wallet.address),
    servingKey: key.wallet,
    callsPurchased: (listingId, caller) => registry.callsPurchased(listingId, caller),
    inputSize: INPUT_SIZE,
    chainNow: clock === undefined ? undefined : () => clock.now(),
  });
  // Your model goes here; this one is the sample MNIST reference model.
  const session = await createSession(readFileSync(ensureModels().reference.path), { executionProvider: "cpu" });
  const infer: InferFunction = ({ inputs, count }) => session.run(inputs, count);
  return {
    core,
    infer,
    port: Number(process.env.PORT ?? "8700"),
    async stop() {
      clock?.stop();
      await session.release();
      chain.destroy();
    },
  };
}
