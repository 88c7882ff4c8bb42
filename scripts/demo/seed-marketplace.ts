// Demo marketplace for a local chain: two providers with one model per task (MNIST, voice activity detection, OCR),
// each task listed by an honest provider and a cheating one (a cheaper or degraded model behind the same claim), plus
// two more MNIST listings (a batch endpoint and the validator-aware cheat); curators staked on them, and purchases, so
// that the marketplace and curation screens show something at once.
import { parseEther, type Signer } from "ethers";
import { TASKS, type TaskId } from "@curia/protocol";
import type { CurationPool, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";
import { unlockedAccount } from "../lib/dev-accounts.js";

/** Metadata travels on-chain as a data: URI, so the demo needs no IPFS gateway. */
export function metadataURI(metadata: {
  name: string;
  description: string;
  task: string;
  taskVersion?: number;
  modelHash?: string;
  modelURI?: string;
}): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(metadata))}`;
}

export interface DemoListing {
  provider: number;
  /** The task its metadata names (@curia/protocol's TASKS, at the current version). */
  task: TaskId;
  /** Which sample provider serves it: the reference model, or a cheaper one behind the same claim. */
  serving: "honest" | "cheating" | "validator-aware";
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
    task: "mnist",
    serving: "honest",
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
    task: "mnist",
    serving: "cheating",
    name: "mnist-mlp-cheap",
    description: "Same task at a third of the price (a degraded model, as validators will find)",
    pricePerCall: parseEther("0.15"),
    curators: [{ account: 9, amount: parseEther("2000") }],
    purchases: [{ account: 7, calls: 1000n }],
  },
  {
    provider: 5,
    task: "mnist",
    serving: "honest",
    name: "mnist-mlp-batch",
    description: "Batch endpoint of the honest model",
    pricePerCall: parseEther("0.3"),
    curators: [],
    purchases: [],
  },
  {
    provider: 6,
    task: "mnist",
    serving: "validator-aware",
    name: "mnist-mlp-turbo",
    description: "Fast MNIST classifier (validator-aware: the listed model to validators, a cheaper one to customers)",
    pricePerCall: parseEther("0.2"),
    curators: [],
    purchases: [{ account: 7, calls: 200n }],
  },
  {
    provider: 5,
    task: "vad",
    serving: "honest",
    name: "silero-vad-fp32",
    description: "Silero voice activity detection, 16 kHz, full precision",
    pricePerCall: parseEther("0.2"),
    curators: [{ account: 8, amount: parseEther("5000") }],
    purchases: [{ account: 7, calls: 100n }],
  },
  {
    provider: 6,
    task: "vad",
    serving: "cheating",
    name: "silero-vad-fast",
    description: "The same Silero model for less (served in half precision, fp16, as validators will find)",
    pricePerCall: parseEther("0.08"),
    curators: [],
    purchases: [{ account: 7, calls: 100n }],
  },
  {
    provider: 5,
    task: "ocr",
    serving: "honest",
    name: "ppocr-v4-rec",
    description: "PaddleOCR PP-OCRv4 text-line recognition at full resolution",
    pricePerCall: parseEther("0.4"),
    curators: [{ account: 9, amount: parseEther("3000") }],
    purchases: [{ account: 7, calls: 100n }],
  },
  {
    provider: 6,
    task: "ocr",
    serving: "cheating",
    name: "ppocr-v4-rec-lite",
    description: "PP-OCRv4 recognition for less (run on lines squeezed to half their width, as validators will find)",
    pricePerCall: parseEther("0.15"),
    curators: [],
    purchases: [{ account: 7, calls: 100n }],
  },
];

/** The demo's listing ids (1-based, DEMO_LISTINGS order) of `task` served honestly and by a cheat. */
export function demoTaskPair(task: TaskId): { honest: bigint; cheating: bigint } {
  const id = (serving: DemoListing["serving"]) =>
    BigInt(DEMO_LISTINGS.findIndex((l) => l.task === task && l.serving === serving) + 1);
  return { honest: id("honest"), cheating: id("cheating") };
}

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
  /** The model every MNIST demo listing claims to serve: its content hash and where validators fetch it. */
  model?: { modelHash: string; modelURI: string };
  /** The VAD and OCR listings' reference models (their claims), when known. */
  taskModels?: Partial<Record<TaskId, { modelHash: string; modelURI: string }>>;
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
  const account = (index: number): Signer => unlockedAccount(accounts, index);
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
    const model = listing.task === "mnist" ? options.model : options.taskModels?.[listing.task];
    const modelHash = model?.modelHash ?? `0x${Buffer.from(listing.name.padEnd(32, "\0")).toString("hex")}`;
    // The task metadata @curia/protocol's parseListingMetadata reads (validators and providers pick the plugin by it).
    const metadata = {
      name: listing.name,
      description: listing.description,
      task: listing.task,
      taskVersion: TASKS[listing.task].version,
      modelHash,
    };
    const tx = await registry
      .connect(account(listing.provider))
      .createListing(
        modelHash,
        metadataURI(model === undefined ? metadata : { ...metadata, modelURI: model.modelURI }),
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
