// A validation round's money to the wei, validator by validator: the honest members' equal shares of a budget that does
// not divide evenly (the dust stays in the reward pool), each penalty into the pool, each claim paying exactly what was
// credited, and the manager holding exactly what it owes afterwards.
import { expect } from "chai";
import { parseEther } from "ethers";
import {
  creditPerSeat,
  deployValidationFixture,
  LISTING_PRICE,
  VALIDATION,
  VALIDATOR_STAKE,
  vHelpers,
} from "../helpers/validation.js";

const BPS = 10_000n;
const AT_RISK = (VALIDATOR_STAKE * BigInt(VALIDATION.penaltyBps)) / BPS;

describe("ValidationManager: every reward exactly", function () {
  it("credits the honest members equal shares rounded down, keeps the dust in the pool, and pays each claim exactly", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, validatorPool, token, helper, listingId, requester, validators, deployer } = f;
    // A pool whose budget share is below the round reward and not a multiple of three honest members.
    const funding = parseEther("500") + 7n;
    await token.connect(deployer).transfer(await validation.getAddress(), funding);
    // Three honest (7000, 7100, 6900), one outlier (9000), one who commits and never reveals.
    const { roundId } = await helper.runRound(requester, listingId, [7000, 7100, 9000, 6900, 7000], [4]);
    const pool = funding + 2n * AT_RISK;
    const share = (pool * BigInt(VALIDATION.rewardShareBps)) / BPS;
    // 200 calls at 2 CUR cost more than the cap: the whole share goes to reimbursements, split equally.
    const { each, reimbursed } = creditPerSeat(pool, 3n, { pricePerCall: LISTING_PRICE });
    expect(each)
      .to.equal(reimbursed)
      .and.to.equal(share / 3n);
    expect(share % 3n).to.not.equal(0n, "a budget with rounding dust");
    const tx = validation.finalizeRound(roundId);
    await expect(tx)
      .to.emit(validation, "RoundFinalized")
      .withArgs(roundId, listingId, 7_050n, 4n, true, 3n, 3n * each, 2n * AT_RISK);
    for (const i of [0, 1, 3]) {
      await expect(tx)
        .to.emit(validation, "ValidatorRewarded")
        .withArgs(roundId, validators[i]!.address, each, reimbursed);
      expect(await validation.rewardsOf(validators[i]!.address)).to.equal(each);
    }
    for (const i of [2, 4]) {
      expect(await validation.rewardsOf(validators[i]!.address)).to.equal(0n);
      expect((await validatorPool.memberOf(validators[i]!.address)).staked).to.equal(VALIDATOR_STAKE - AT_RISK);
    }
    expect(await validation.totalOwed()).to.deep.equal([3n * each, pool - 3n * each, 0n]);
    for (const i of [0, 1, 3]) {
      const v = validators[i]!;
      const before = await token.balanceOf(v.address);
      await expect(validation.connect(v).claimRewards())
        .to.emit(validation, "RewardsClaimed")
        .withArgs(v.address, each);
      expect(await token.balanceOf(v.address)).to.equal(before + each);
    }
    // Everything credited is paid; the dust and the rest stay in the pool, which the balance backs exactly.
    expect(await validation.totalOwed()).to.deep.equal([0n, pool - 3n * each, 0n]);
    expect(await token.balanceOf(await validation.getAddress())).to.equal(pool - 3n * each);
    const [stakes, locked] = await validatorPool.totalOwed();
    expect(locked).to.equal(0n);
    expect(await token.balanceOf(await validatorPool.getAddress())).to.equal(stakes);
  });
});
