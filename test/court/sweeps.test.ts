// Issue 17: CUR sent straight to the Court or to a StakePool (a plain transfer instead of a stake or a fee) was stuck
// for ever. Now anyone can send the surplus over what the contract owes to the treasury (IStrayTokens), and what it
// owes (stakes, the court's escrow, rewards and treasury share in the jurors' pool) can never leave that way.
import { expect } from "chai";
import { parseEther } from "ethers";
import { voteCommitment } from "@curia/protocol";
import { hexlify, randomBytes } from "ethers";
import { CHALLENGES, deployValidationFixture, ListingStatus, vHelpers } from "../helpers/validation.js";

const STRAY = parseEther("7");

describe("stray-token sweeps of the Court and the StakePools (issue 17)", function () {
  it("the Court owes nothing itself: whatever it holds goes to the treasury, and then nothing more", async function () {
    const { court, token, deployer, treasury } = await vHelpers.loadFixture(deployValidationFixture);
    const address = await court.getAddress();
    await expect(court.sweepStrayTokens(await token.getAddress()))
      .to.be.revertedWithCustomError(court, "NothingToSweep")
      .withArgs(await token.getAddress(), 0n, 0n);
    await token.connect(deployer).transfer(address, STRAY);
    const before = await token.balanceOf(treasury);
    await expect(court.sweepStrayTokens(await token.getAddress()))
      .to.emit(court, "StrayTokensSwept")
      .withArgs(await token.getAddress(), treasury, STRAY);
    expect(await token.balanceOf(treasury)).to.equal(before + STRAY);
    expect(await token.balanceOf(address)).to.equal(0n);
  });

  it("the jurors' pool keeps its stakes and the court's funds of a live dispute, which still pays out in full", async function () {
    const { court, jurorPool, challenges, token, deployer, outsider, juror, treasury, listingId, registry } =
      await vHelpers.loadFixture(deployValidationFixture);
    const tokenAddress = await token.getAddress();
    const poolAddress = await jurorPool.getAddress();
    await challenges.connect(outsider).challenge(listingId, CHALLENGES.minChallengeBond, "ipfs://evidence");
    const [stakes] = await jurorPool.totalOwed();
    const funds = await court.poolFundsOwed();
    const [escrow, rewards, pending, toTreasury] = await court.totalOwed();
    expect(funds).to.equal(escrow + rewards + toTreasury - pending);
    expect(funds).to.be.greaterThan(0n, "the dispute's fees are held in the pool");
    expect(await token.balanceOf(poolAddress)).to.equal(stakes + funds, "nothing stray yet");
    await expect(jurorPool.sweepStrayTokens(tokenAddress))
      .to.be.revertedWithCustomError(jurorPool, "NothingToSweep")
      .withArgs(tokenAddress, stakes + funds, stakes + funds);

    await token.connect(deployer).transfer(poolAddress, STRAY);
    await expect(jurorPool.sweepStrayTokens(tokenAddress))
      .to.emit(jurorPool, "StrayTokensSwept")
      .withArgs(tokenAddress, treasury, STRAY);
    await expect(jurorPool.sweepStrayTokens(tokenAddress)).to.be.revertedWithCustomError(jurorPool, "NothingToSweep");

    // The dispute runs to its end on what stayed: the juror is paid, the challenger gets its bond and share back.
    await vHelpers.mine(2);
    await court.draw(1n, 64n);
    const salt = hexlify(randomBytes(32));
    await court.connect(juror).commit(1n, voteCommitment(1, salt, juror.address, 1n, 0n));
    const r = await court.getRound(1n, 0n);
    await vHelpers.time.increaseTo(r.commitEnd);
    await court.connect(juror).reveal(1n, 1, salt);
    await vHelpers.time.increaseTo(r.appealEnd);
    await court.executeRuling(1n);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    await court.connect(juror).settle(1n, 0n, juror.address);
    // Whoever drew the jury claims its draw reward (credited at the draw).
    await court.claimDrawRewards(await (court.runner as unknown as { getAddress(): Promise<string> }).getAddress());
    await court.sweepTreasury();
    const [stakesAfter] = await jurorPool.totalOwed();
    expect(await court.poolFundsOwed()).to.equal(0n, "every fee paid out");
    expect(await token.balanceOf(poolAddress)).to.equal(stakesAfter, "and every stake still backed");
  });

  it("the validators' pool keeps every stake, locked ones included", async function () {
    const { validatorPool, validation, helper, token, deployer, treasury, requester, listingId } =
      await vHelpers.loadFixture(deployValidationFixture);
    const tokenAddress = await token.getAddress();
    const poolAddress = await validatorPool.getAddress();
    expect(await validation.poolFundsOwed()).to.equal(0n);
    // A drawn committee: part of every stake is locked.
    const roundId = await helper.open(requester, listingId);
    await helper.draw(roundId);
    const [stakes, locked] = await validatorPool.totalOwed();
    expect(locked).to.be.greaterThan(0n);
    await token.connect(deployer).transfer(poolAddress, STRAY);
    await expect(validatorPool.sweepStrayTokens(tokenAddress))
      .to.emit(validatorPool, "StrayTokensSwept")
      .withArgs(tokenAddress, treasury, STRAY);
    await expect(validatorPool.sweepStrayTokens(tokenAddress))
      .to.be.revertedWithCustomError(validatorPool, "NothingToSweep")
      .withArgs(tokenAddress, stakes, stakes);
  });
});
