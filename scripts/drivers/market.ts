// MarketHelper drives the marketplace like a script: list → wait for activation → buy → stake → unstake → withdraw →
// claim. A driver, not a test: the contract tests, the court and validation drivers' users and the benches use it.
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { id, parseEther, type Signer } from "ethers";
import type { CurationPool, ListingRegistry } from "../../types/ethers-contracts/index.js";

export class MarketHelper {
  constructor(
    readonly registry: ListingRegistry,
    readonly pool: CurationPool,
    readonly helpers: NetworkHelpers,
  ) {}

  /** Lists a model (hash derived from `name`) and returns its id. */
  async list(provider: Signer, name = "mnist-mlp", price = parseEther("2"), bond?: bigint): Promise<bigint> {
    bond ??= (await this.registry.parameters()).minBond;
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
    const now = BigInt(await this.helpers.time.latest());
    if (listing.activatesAt > now) await this.helpers.time.increaseTo(listing.activatesAt);
  }

  /** Lists and activates. */
  async listActive(provider: Signer, name?: string, price?: bigint): Promise<bigint> {
    const listingId = await this.list(provider, name, price);
    await this.waitForActivation(listingId);
    return listingId;
  }

  /** Buys at the listing's current price (the maximum the purchase accepts), or at most `maxPricePerCall`. */
  async buy(consumer: Signer, listingId: bigint, calls: bigint, beneficiary?: string, maxPricePerCall?: bigint) {
    const maxPrice = maxPricePerCall ?? (await this.registry.getListing(listingId)).pricePerCall;
    return this.registry
      .connect(consumer)
      .purchase(listingId, calls, beneficiary ?? (await consumer.getAddress()), maxPrice);
  }

  async stake(curator: Signer, listingId: bigint, amount: bigint) {
    return this.pool.connect(curator).stake(listingId, amount);
  }

  /**
   * Stakes and lets the stake warm up, then activates it: from here on it earns (a new stake earns nothing during the
   * pool's warm-up).
   */
  async stakeActive(curator: Signer, listingId: bigint, amount: bigint): Promise<void> {
    await (await this.stake(curator, listingId, amount)).wait();
    await this.waitForWarmUp(listingId, curator);
    await (await this.pool.activate(listingId, await curator.getAddress())).wait();
  }

  /** Moves time to the end of the curator's warm-up on the listing. */
  async waitForWarmUp(listingId: bigint, curator: Signer): Promise<void> {
    const position = await this.pool.positionOf(listingId, await curator.getAddress());
    const now = BigInt(await this.helpers.time.latest());
    if (position.warmEnd > now) await this.helpers.time.increaseTo(position.warmEnd);
  }

  async waitForThaw(listingId: bigint, curator: Signer): Promise<void> {
    const position = await this.pool.positionOf(listingId, await curator.getAddress());
    await this.helpers.time.increaseTo(position.thawEnd);
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
