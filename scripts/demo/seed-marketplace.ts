// Demo marketplace for a local chain: two providers with four listings, curators staked on them, and purchases,
// so that the marketplace and curation screens show something at once.
import { parseEther, type Signer } from "ethers";
import type { CurationPool, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";

/** Metadata travels on-chain as a data: URI, so the demo needs no IPFS gateway. */
export function metadataURI(metadata: { name: string; description: string; task: string; modelURI?: string }): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(metadata))}`;
}

export interface DemoListing {
  provider: number;
  name: string;
  description: string;
  pricePerCall: bigint;
  /** Stakes by account index. */
  curators: { account: number; amount: bigint }[];
  /** Calls bought by account index. */
  purchases: { account: number; calls: bigint }[];
}

export const DEMO_PROVIDERS = [5, 6] as const;
export const DEMO_CONSUMER = 7;
export const DEMO_CURATORS = [8, 9] as const;
/** The validator-aware listing (DEMO_LISTINGS order): a consumer's receipt catches it (seed-fraud-proof.ts). */
export const DEMO_VALIDATOR_AWARE_LISTING = 4n;

export const DEMO_LISTINGS: readonly DemoListing[] = [
  {
    provider: 5,
    name: "mnist-mlp-honest",
    description: "784-64-10 MLP digit classifier, served at full precision",
    pricePerCall: parseEther("0.5"),
    curators: [
      { account: 8, amount: parseEther("20000") },
      { account: 9, amount: parseEther("5000") },
    ],
    purchases: [{ account: 7, calls: 400n }],
  },
  {
    provider: 6,
    name: "mnist-mlp-cheap",
    description: "Same task at a third of the price (a degraded model, as validators will find)",
    pricePerCall: parseEther("0.15"),
    curators: [{ account: 9, amount: parseEther("2000") }],
    purchases: [{ account: 7, calls: 1000n }],
  },
  {
    provider: 5,
    name: "mnist-mlp-batch",
    description: "Batch endpoint of the honest model",
    pricePerCall: parseEther("0.3"),
    curators: [],
    purchases: [],
  },
  {
    provider: 6,
    name: "mnist-mlp-turbo",
    description: "Fast MNIST classifier (validator-aware: the listed model to validators, a cheaper one to customers)",
    pricePerCall: parseEther("0.2"),
    curators: [],
    purchases: [{ account: 7, calls: 200n }],
  },
];

export interface SeedMarketplaceOptions {
  token: CuriaToken;
  registry: ListingRegistry;
  curationPool: CurationPool;
  accounts: readonly Signer[];
  /** Moves the chain's clock (the local node's evm_increaseTime), to get past the application period. */
  increaseTime: (seconds: number) => Promise<void>;
  /** Where the providers say they serve inference (the sample provider server's base URL). */
  endpointBase?: string;
  /** Each demo listing's endpoint, in DEMO_LISTINGS order (instead of `endpointBase`/name). */
  endpoints?: readonly string[];
  /** The model every demo listing claims to serve: its content hash and where validators fetch it. */
  model?: { modelHash: string; modelURI: string };
  log?: (message: string) => void;
}

/** Creates the demo listings, stakes and purchases. A chain that already has listings is left as it is. */
export async function seedMarketplace(options: SeedMarketplaceOptions): Promise<void> {
  const { token, registry, curationPool, accounts } = options;
  const log = options.log ?? (() => {});
  if ((await registry.listingCount()) > 0n) {
    log("marketplace already seeded");
    return;
  }
  const account = (index: number): Signer => {
    const signer = accounts[index];
    if (signer === undefined) throw new Error(`the chain has no account #${index} to seed`);
    return signer;
  };
  const funder = account(0);
  const [registryAddress, poolAddress] = await Promise.all([registry.getAddress(), curationPool.getAddress()]);
  const { minBond, applicationPeriod } = await registry.parameters();

  for (const index of [...DEMO_PROVIDERS, DEMO_CONSUMER, ...DEMO_CURATORS]) {
    const signer = account(index);
    await (await token.connect(funder).transfer(await signer.getAddress(), parseEther("100000"))).wait();
    await (await token.connect(signer).approve(registryAddress, 2n ** 256n - 1n)).wait();
    await (await token.connect(signer).approve(poolAddress, 2n ** 256n - 1n)).wait();
  }

  const ids: bigint[] = [];
  for (const [i, listing] of DEMO_LISTINGS.entries()) {
    const modelHash = options.model?.modelHash ?? `0x${Buffer.from(listing.name.padEnd(32, "\0")).toString("hex")}`;
    const metadata = { name: listing.name, description: listing.description, task: "mnist digit classification" };
    const tx = await registry
      .connect(account(listing.provider))
      .createListing(
        modelHash,
        metadataURI(options.model === undefined ? metadata : { ...metadata, modelURI: options.model.modelURI }),
        options.endpoints?.[i] ?? `${options.endpointBase ?? "http://127.0.0.1:8600"}/${listing.name}`,
        listing.pricePerCall,
        minBond,
      );
    await tx.wait();
    ids.push(await registry.listingCount());
    log(`#${listing.provider} listed ${listing.name} (listing ${ids.at(-1)})`);
  }
  for (const [i, listing] of DEMO_LISTINGS.entries()) {
    for (const { account: curator, amount } of listing.curators) {
      await (await curationPool.connect(account(curator)).stake(ids[i]!, amount)).wait();
      log(`#${curator} staked ${amount / 10n ** 18n} CUR on listing ${ids[i]}`);
    }
  }
  // The listings activate and the curators' stake warms up (a new stake earns only once warm and activated).
  const { warmupPeriod } = await curationPool.parameters();
  await options.increaseTime(Math.max(Number(applicationPeriod), Number(warmupPeriod)) + 1);
  for (const [i, listing] of DEMO_LISTINGS.entries()) {
    for (const { account: curator } of listing.curators) {
      await (await curationPool.activate(ids[i]!, await account(curator).getAddress())).wait();
    }
  }
  for (const [i, listing] of DEMO_LISTINGS.entries()) {
    for (const { account: buyer, calls } of listing.purchases) {
      const signer = account(buyer);
      const { pricePerCall } = await registry.getListing(ids[i]!);
      await (await registry.connect(signer).purchase(ids[i]!, calls, await signer.getAddress(), pricePerCall)).wait();
      log(`#${buyer} bought ${calls} calls on listing ${ids[i]}`);
    }
  }
}
