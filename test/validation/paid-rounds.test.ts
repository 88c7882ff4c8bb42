// Paid rounds (issue 17), played as a provider and its validators who request rounds on the provider's own listing to
// be paid from the validators' pool: in v1 a requested round paid its honest members the whole round reward whatever
// its fee (10 CUR in, up to 100 CUR out locally), and 12 self-requested rounds drained the pool from 1,000 to 344 CUR.
// A requested round now pays out no more than its fee.
import { expect } from "chai";
import { deployValidationFixture, VALIDATION, vHelpers } from "../helpers/validation.js";

const ROUNDS = 6;

describe("ValidationManager: paid rounds", function () {
  it("attack: requesting rounds on one's own listing no longer drains the validators' pool", async function () {
    const { validation, validators, helper, provider, listingId, token } =
      await vHelpers.loadFixture(deployValidationFixture);
    expect(VALIDATION.roundReward > VALIDATION.requestFee, "a round's reward exceeds its fee").to.equal(true);
    // The pool holds some validator fees; the first, due round is free and pays the round reward from them.
    await token.transfer(await validation.getAddress(), VALIDATION.roundReward * 10n);
    await helper.runRound(provider, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
    await validation.finalizeRound(await validation.roundCount());
    const [, poolBefore] = await validation.totalOwed();
    let earned = 0n;
    for (let i = 0; i < ROUNDS; i++) {
      // The provider pays the request fee at once (the next free round is a period away); its validators score.
      const { roundId } = await helper.runRound(provider, listingId, [9_000, 9_000, 9_000, 9_000, 9_000]);
      const finalized = await (await validation.finalizeRound(roundId)).wait();
      const credited = finalized!.logs
        .map((l) => validation.interface.parseLog(l))
        .filter((p) => p?.name === "ValidatorRewarded")
        .reduce((s, p) => s + (p!.args.amount as bigint), 0n);
      expect(credited, `round ${roundId} pays at most its fee`).to.be.at.most(VALIDATION.requestFee);
      expect(credited, "and pays the honest members").to.be.greaterThan(0n);
      earned += credited;
    }
    const [, poolAfter] = await validation.totalOwed();
    // What the cartel paid in fees came back to it at most: the pool is no poorer than before.
    expect(poolAfter).to.be.at.least(poolBefore);
    expect(earned).to.be.at.most(VALIDATION.requestFee * BigInt(ROUNDS));
    for (const v of validators) expect(await validation.rewardsOf(v.address)).to.be.greaterThan(0n);
  });
});
