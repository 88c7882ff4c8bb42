// The whole system (governance + marketplace) as the marketplace tests see it, and a helper that reads like a script:
// list → wait for activation → buy → stake → unstake → withdraw → claim.
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id, MaxUint256, parseEther, type Signer } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import type { CurationPool, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";

export const marketConnection = await hre.network.create();
export const { ethers: mEthers, networkHelpers: mHelpers } = marketConnection;

export const MARKET = LOCAL_CONFIG.marketplace.market;
export const CURATION = LOCAL_CONFIG.marketplace.curation;
export const PRICE = parseEther("2");
export const BOND = MARKET.minBond;

export interface MarketFixture {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  rival: HardhatEthersSigner;
  consumer: HardhatEthersSigner;
  curatorA: HardhatEthersSigner;
  curatorB: HardhatEthersSigner;
  court: HardhatEthersSigner;
  validation: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  /** The timelock as a signer, to set governed roles without a full proposal in unit tests. */
  asTimelock: HardhatEthersSigner;
  token: CuriaToken;
  registry: ListingRegistry;
  curationPool: CurationPool;
  treasury: string;
  market: MarketHelper;
}

export async function deployMarketFixture(): Promise<MarketFixture> {
  const signers = await mEthers.getSigners();
  const [deployer, provider, rival, consumer, curatorA, curatorB, court, validation, outsider] = signers;
  if (outsider === undefined || deployer === undefined) throw new Error("the in-process chain needs 9 accounts");
  const system = await deployCuria({ hre, connection: marketConnection, config: LOCAL_CONFIG });
  const { token, registry, curationPool, timelock } = system;
  const treasury = await timelock.getAddress();
  await mHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await mEthers.getImpersonatedSigner(treasury);
  await registry.connect(asTimelock).setCourtRole(court!.address);
  await registry.connect(asTimelock).setValidationRole(validation!.address);
  await curationPool.connect(asTimelock).setSlasher(court!.address);

  for (const account of [provider, rival, consumer, curatorA, curatorB, outsider]) {
    await token.connect(deployer).transfer(account!.address, parseEther("1000000"));
    await token.connect(account!).approve(await registry.getAddress(), MaxUint256);
    await token.connect(account!).approve(await curationPool.getAddress(), MaxUint256);
  }
  return {
    deployer,
    provider: provider!,
    rival: rival!,
    consumer: consumer!,
    curatorA: curatorA!,
    curatorB: curatorB!,
    court: court!,
    validation: validation!,
    outsider,
    asTimelock,
    token,
    registry,
    curationPool,
    treasury,
    market: new MarketHelper(registry, curationPool),
  };
}

export class MarketHelper {
  constructor(
    readonly registry: ListingRegistry,
    readonly pool: CurationPool,
  ) {}

  /** Lists a model (hash derived from `name`) and returns its id. */
  async list(provider: Signer, name = "mnist-mlp", price = PRICE, bond = BOND): Promise<bigint> {
    const tx = await this.registry
      .connect(provider)
      .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, price, bond);
    const receipt = await tx.wait();
    const log = receipt?.logs
      .map((l) => this.registry.interface.parseLog(l))
      .find((parsed) => parsed?.name === "ListingCreated");
    if (log === undefined || log === null) throw new Error("no ListingCreated event");
    return log.args.listingId as bigint;
  }

  /** Moves time past the listing's application period. */
  async waitForActivation(listingId: bigint): Promise<void> {
    const listing = await this.registry.getListing(listingId);
    const now = BigInt(await mHelpers.time.latest());
    if (listing.activatesAt > now) await mHelpers.time.increaseTo(listing.activatesAt);
  }

  /** Lists and activates. */
  async listActive(provider: Signer, name?: string, price?: bigint): Promise<bigint> {
    const listingId = await this.list(provider, name, price);
    await this.waitForActivation(listingId);
    return listingId;
  }

  async buy(consumer: Signer, listingId: bigint, calls: bigint, beneficiary?: string) {
    return this.registry.connect(consumer).purchase(listingId, calls, beneficiary ?? (await consumer.getAddress()));
  }

  async stake(curator: Signer, listingId: bigint, amount: bigint) {
    return this.pool.connect(curator).stake(listingId, amount);
  }

  async waitForThaw(listingId: bigint, curator: Signer): Promise<void> {
    const position = await this.pool.positionOf(listingId, await curator.getAddress());
    await mHelpers.time.increaseTo(position.thawEnd);
  }

  /** Expected split of one purchase under the current parameters. */
  async expectedSplit(cost: bigint) {
    const p = await this.registry.parameters();
    const fee = (cost * p.protocolFeeBps) / 10_000n;
    const curatorFee = (fee * p.curatorShareBps) / 10_000n;
    const validatorFee = (fee * p.validatorShareBps) / 10_000n;
    return { fee, curatorFee, validatorFee, treasuryFee: fee - curatorFee - validatorFee, providerAmount: cost - fee };
  }
}
