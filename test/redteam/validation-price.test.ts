// Red team of issue 16's round price and reimbursed calls, played as a provider who sees all on-chain data and times
// its transactions. What holds: the pool never pays a round more than its cap, a requested round never more than its
// fee, and a price set in the same block as the opening is fixed for the round. What the contracts cannot hold alone:
// a member that buys its samples at the round's price whatever the round reimburses pays a provider who requests
// rounds on its own listing the committee's purchases (samples × price per seat) for the request fee. The validator
// service therefore never spends more probing for a round than the round reimburses its seats (protocol's
// reimbursementPerSeat; validator/test/probe-budget.test.ts plays this attack against the service and it fails).
import { expect } from "chai";
import { parseEther } from "ethers";
import { deployValidationFixture, LISTING_PRICE, VALIDATION, vEthers, vHelpers } from "../helpers/validation.js";

const CALLS = BigInt(VALIDATION.reimbursedCalls);
const POOL = parseEther("1000");

async function fundedFixture() {
  const f = await deployValidationFixture();
  await (await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), POOL)).wait();
  return f;
}

describe("red team: the round's price and reimbursed calls", function () {
  it("a price raised in the same block as the opening is the round's price, and still paid within the cap", async function () {
    const { validation, registry, helper, listingId, provider, requester } = await vHelpers.loadFixture(fundedFixture);
    const hiked = LISTING_PRICE * 1_000n;
    await vHelpers.mine(); // a fresh block for the pair
    await vEthers.provider.send("evm_setAutomine", [false]);
    try {
      await registry.connect(provider).updatePrice(listingId, hiked);
      await validation.connect(requester).openRound(listingId);
      await vHelpers.mine();
    } finally {
      await vEthers.provider.send("evm_setAutomine", [true]);
    }
    const roundId = await validation.roundCount();
    expect((await validation.getRound(roundId)).pricePerCall).to.equal(hiked);
    const committee = await helper.draw(roundId);
    await helper.commitScores(roundId, committee, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await helper.revealScores(roundId, committee);
    const [, poolBefore] = await validation.totalOwed();
    await (await validation.finalizeRound(roundId)).wait();
    const [owed, poolAfter] = await validation.totalOwed();
    const cap = (poolBefore * BigInt(VALIDATION.rewardShareBps)) / 10_000n;
    expect(owed).to.equal(cap);
    expect(poolAfter).to.equal(poolBefore - cap);
  });

  it("a member buying samples beyond what the round reimburses pays the provider's request: why the service never does", async function () {
    const { validation, registry, token, helper, listingId, provider } = await vHelpers.loadFixture(fundedFixture);
    // The listing's free round first; the next one the provider requests itself, paying the fee.
    await helper.runRound(provider, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await (await validation.finalizeRound(await validation.roundCount())).wait();
    const providerBefore = await token.balanceOf(provider.address);
    const roundId = await helper.open(provider, listingId);
    expect(await token.balanceOf(provider.address)).to.equal(providerBefore - VALIDATION.requestFee);
    const committee = await helper.draw(roundId);
    // Every member does what validator/src/service.ts does: buys its samples at the round's price, then scores.
    const price = (await validation.getRound(roundId)).pricePerCall;
    const [, earningsBefore] = await registry.totalOwed();
    for (const v of committee) {
      await (await token.connect(v).approve(await registry.getAddress(), price * CALLS)).wait();
      await (await registry.connect(v).purchase(listingId, CALLS, v.address, price)).wait();
    }
    const [, earningsAfter] = await registry.totalOwed();
    await helper.commitScores(roundId, committee, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await helper.revealScores(roundId, committee);
    const finalized = await (await validation.finalizeRound(roundId)).wait();
    const [event] = await validation.queryFilter(validation.filters.RoundFinalized(roundId), finalized!.blockNumber);
    const reimbursed = event!.args.rewardTotal;
    // The pool holds: the round paid back exactly the fee the provider put in, no more.
    expect(reimbursed).to.equal(VALIDATION.requestFee);
    // The validators do not: 5 seats × 200 calls × 2 CUR = 2,000 CUR bought for 10 CUR reimbursed, and the provider's
    // earnings grow by that, less the protocol fee, for its 10 CUR. Repeatable every round.
    const spent = price * CALLS * BigInt(committee.length);
    expect(spent).to.equal(parseEther("2000"));
    const providerGain = earningsAfter - earningsBefore - VALIDATION.requestFee;
    expect(providerGain > parseEther("1000"), `the provider nets ${providerGain}`).to.equal(true);
  });
});
