// Issue 16, "liveness and price": the price validators pay is fixed when a round opens, and their sampled calls are
// reimbursed. Attacker first: a provider raises its price once the round is open, so that the validators who buy their
// samples at the going price pay many times what the round was opened at (the v1 attack: 10 CUR in, 57,000 CUR out of
// the validators); then a provider sets a huge price before a due round, hoping the pool reimburses it.
import { expect } from "chai";
import { parseEther } from "ethers";
import {
  deployValidationFixture,
  LISTING_PRICE,
  VALIDATION,
  vHelpers,
  validationParamsOf,
} from "../helpers/validation.js";

const CALLS = BigInt(VALIDATION.reimbursedCalls);
const POOL = parseEther("1000");

async function fundedFixture() {
  const f = await deployValidationFixture();
  await (await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), POOL)).wait();
  return f;
}

describe("ValidationManager: the round's price, fixed at opening, and reimbursed calls", function () {
  it("records the price when the round opens; a price raised afterwards is refused to the validators' purchases", async function () {
    const { validation, registry, token, helper, listingId, provider, requester, validators, asTimelock } =
      await vHelpers.loadFixture(fundedFixture);
    // A hundredfold price would fill the listing's sales cap (bond × maxEscrowPerBondBps); the cap is not under test.
    await (await registry.connect(asTimelock).setMaxEscrowPerBond(1_000_000)).wait();
    const roundId = await helper.open(requester, listingId);
    expect((await validation.getRound(roundId)).pricePerCall).to.equal(LISTING_PRICE);

    // The attack: the provider raises its price a hundredfold once the committee is known to be coming.
    const hiked = LISTING_PRICE * 100n;
    await (await registry.connect(provider).updatePrice(listingId, hiked)).wait();
    const buyer = validators[0]!;
    const registryAddress = await registry.getAddress();
    await (await token.connect(buyer).approve(registryAddress, hiked * CALLS)).wait();
    // What a buyer without a cap pays: the hiked price, a hundred times what the round opened at.
    const uncapped = await registry
      .connect(buyer)
      .purchase.staticCall(listingId, CALLS, buyer.address, hiked)
      .then(() => hiked * CALLS);
    expect(uncapped).to.equal(LISTING_PRICE * CALLS * 100n);
    // The validator's purchase carries the round's price as its cap (validator/src/service.ts does): refused.
    const roundPrice = (await validation.getRound(roundId)).pricePerCall;
    await expect(registry.connect(buyer).purchase(listingId, CALLS, buyer.address, roundPrice))
      .to.be.revertedWithCustomError(registry, "ListingPriceAboveMax")
      .withArgs(listingId, hiked, LISTING_PRICE);
    // The round still reimburses at the opening price, whatever the listing charges now.
    expect((await validation.getRound(roundId)).pricePerCall).to.equal(LISTING_PRICE);
  });

  it("reimburses each honest seat its calls at the opening price, then shares the reward: 2 + 18 CUR a seat", async function () {
    const { validation, registry, helper, listingId, provider, requester, validators } =
      await vHelpers.loadFixture(fundedFixture);
    // A cheap listing: 200 calls at 0.01 CUR = 2 CUR a seat.
    await (await registry.connect(provider).updatePrice(listingId, parseEther("0.01"))).wait();
    const roundId = await helper.open(requester, listingId);
    // Raised after the opening: changes nothing below.
    await (await registry.connect(provider).updatePrice(listingId, parseEther("10"))).wait();
    const committee = await helper.draw(roundId);
    await helper.commitScores(roundId, committee, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await helper.revealScores(roundId, committee);
    // Cap: 10 % of 1,000 CUR = 100 CUR. Reimbursed: 5 seats × 2 CUR = 10 CUR. Reward: min(100, 100 − 10) = 90 CUR,
    // 18 CUR a seat. Each seat: 20 CUR.
    expect(VALIDATION.rewardShareBps).to.equal(1_000);
    expect(VALIDATION.roundReward).to.equal(parseEther("100"));
    expect(CALLS).to.equal(200n);
    const tx = validation.finalizeRound(roundId);
    await expect(tx)
      .to.emit(validation, "RoundFinalized")
      .withArgs(roundId, listingId, 9_000n, 5n, true, 5n, parseEther("100"), 0n);
    for (const v of validators) {
      await expect(tx)
        .to.emit(validation, "ValidatorRewarded")
        .withArgs(roundId, v.address, parseEther("20"), parseEther("2"));
    }
  });

  it("never pays more than the round's cap, however high the price: a price hike cannot drain the pool", async function () {
    const { validation, registry, helper, listingId, provider, requester } = await vHelpers.loadFixture(fundedFixture);
    // The attack: a price far above any real one (2^100 wei), set just before a due round opens.
    const huge = 2n ** 100n;
    await (await registry.connect(provider).updatePrice(listingId, huge)).wait();
    const roundId = await helper.open(requester, listingId);
    // Recorded as 2^96 − 1 wei: it only lowers a reimbursement the cap cuts anyway.
    expect((await validation.getRound(roundId)).pricePerCall).to.equal(2n ** 96n - 1n);
    const committee = await helper.draw(roundId);
    await helper.commitScores(roundId, committee, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await helper.revealScores(roundId, committee);
    const [, poolBefore] = await validation.totalOwed();
    const tx = validation.finalizeRound(roundId);
    // All of the cap (10 % of the pool) goes to reimbursements, 20 CUR a seat, and no reward is left on top.
    await expect(tx)
      .to.emit(validation, "RoundFinalized")
      .withArgs(roundId, listingId, 9_000n, 5n, true, 5n, poolBefore / 10n, 0n);
    const [owed, poolAfter] = await validation.totalOwed();
    expect(owed).to.equal(poolBefore / 10n);
    expect(poolAfter).to.equal(poolBefore - poolBefore / 10n);
  });

  it("pays a requested round's reimbursements and rewards together within the fee its caller paid", async function () {
    const { validation, helper, listingId, requester } = await vHelpers.loadFixture(fundedFixture);
    await helper.runRound(requester, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await validation.finalizeRound(await validation.roundCount());
    // The next round is requested (paid): at 2 CUR a call, 200 calls per seat would be 2,000 CUR; the fee is 10.
    const { roundId } = await helper.runRound(requester, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
    expect((await validation.getRound(roundId)).pricePerCall).to.equal(LISTING_PRICE);
    const tx = validation.finalizeRound(roundId);
    await expect(tx)
      .to.emit(validation, "RoundFinalized")
      .withArgs(roundId, listingId, 9_000n, 5n, true, 5n, VALIDATION.requestFee, 0n);
    const each = VALIDATION.requestFee / 5n;
    await expect(tx).to.emit(validation, "ValidatorRewarded").withArgs(roundId, anyAddress(), each, each);
  });

  it("reimburses nothing when governance sets reimbursedCalls to 0, and rewards as before", async function () {
    const { validation, helper, listingId, requester, validators, asTimelock } =
      await vHelpers.loadFixture(fundedFixture);
    const p = await validation.parameters();
    await (
      await validation.connect(asTimelock).setParameters({ ...validationParamsOf(p), reimbursedCalls: 0n })
    ).wait();
    const { roundId } = await helper.runRound(requester, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
    const tx = validation.finalizeRound(roundId);
    // min(100 CUR round reward, 10 % of 1,000 CUR) = 100 CUR, 20 a seat, none of it reimbursement.
    for (const v of validators) {
      await expect(tx).to.emit(validation, "ValidatorRewarded").withArgs(roundId, v.address, parseEther("20"), 0n);
    }
  });
});

/** Any address argument (chai matcher predicate). */
function anyAddress() {
  return (value: unknown) => typeof value === "string" && value.startsWith("0x") && value.length === 42;
}
