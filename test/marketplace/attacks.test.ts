// Issue 17, played as the attacker would: a provider that profits from its own delisting through a sybil challenger,
// a validator majority and a provider farming the validators' pool, and a pause guardian that overrides the DAO.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { voteCommitment } from "@curia/protocol";
import { hexlify, parseEther, randomBytes } from "ethers";
import type { Court } from "../../types/ethers-contracts/index.js";
import { Choice, cHelpers, deployCourtFixture, ListingStatus } from "../helpers/court.js";
import { deployMarketFixture, MarketHelper, mHelpers } from "../helpers/marketplace.js";
import { deployValidationFixture, vHelpers } from "../helpers/validation.js";

/** The fixture's single juror takes every seat of the dispute's current round and votes `choice`. */
async function juryVotes(court: Court, juror: HardhatEthersSigner, disputeId: bigint, choice: number) {
  const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
  await vHelpers.mine(2);
  await court.draw(disputeId, 64n);
  const salt = hexlify(randomBytes(32));
  await court.connect(juror).commit(disputeId, voteCommitment(choice, salt, juror.address, disputeId, round));
  const r = await court.getRound(disputeId, round);
  await vHelpers.time.increaseTo(r.commitEnd);
  await court.connect(juror).reveal(disputeId, choice, salt);
  await vHelpers.time.increaseTo(r.appealEnd);
  return r;
}

describe("ListingChallenges and ListingRegistry: attacks (issue 17)", function () {
  it("a provider with a sybil challenger profits from its own delisting: +11,570 CUR out of its curators' slash", async function () {
    const f = await cHelpers.loadFixture(deployCourtFixture);
    const { provider, challenger, curator, token, curationPool, registry, courtHelper } = f;
    const market = new MarketHelper(registry, f.curationPool, cHelpers);
    const coalition = async () =>
      (await token.balanceOf(provider.address)) + (await token.balanceOf(challenger.address));
    const before = await coalition();
    const listingId = await market.listActive(provider, "popular");
    // Curators trusted the listing with 100,000 CUR.
    await curationPool.connect(curator).stake(listingId, parseEther("100000"));

    // The provider's own sybil challenges the listing; the provider concedes, and honest jurors delist it.
    const disputeId = await courtHelper.challenge(challenger, listingId, "ipfs://evidence/i-serve-noise");
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    await courtHelper.execute(disputeId);
    expect(await registry.statusOf(listingId)).to.equal(ListingStatus.Delisted);
    // Lost: the provider's 1,000 bond and the 30 CUR fee; won: 60% of the bond + the curators' 20,000 slash.
    expect((await coalition()) - before).to.equal(parseEther("11570"));
  });

  it("a validator majority and a provider farm the validators' pool: the provider takes 60% of the pool's bond", async function () {
    const f = await vHelpers.loadFixture(deployValidationFixture);
    const { validation, court, token, juror, provider, requester, helper, listingId } = f;
    await token.connect(f.deployer).transfer(await validation.getAddress(), parseEther("3000"));
    const providerBefore = await token.balanceOf(provider.address);
    const [, poolBefore] = await validation.totalOwed();

    // The committee scores a good listing 0: the pool challenges it with its own bond.
    const { roundId } = await helper.runRound(requester, listingId, [0, 0, 0, 0, 0]);
    await validation.finalizeRound(roundId);
    const disputeId = 1n;
    // Honest jurors keep the listing; nobody appeals.
    await juryVotes(court, juror, disputeId, Choice.Defendant);
    await court.executeRuling(disputeId);

    const bond = (await f.challenges.parameters()).minChallengeBond;
    expect(await token.balanceOf(provider.address)).to.equal(providerBefore + (bond * 6_000n) / 10_000n);
    const [, poolAfter] = await validation.totalOwed();
    expect(poolBefore - poolAfter).to.be.greaterThan(bond, "the pool lost its whole bond and the fee");
  });

  it("the pause guardian lifts a pause the DAO decided, and keeps its power for ever", async function () {
    const { deployer, asTimelock, registry } = await mHelpers.loadFixture(deployMarketFixture);
    const [, , , , , guardian] = await registry.addresses();
    expect(guardian).to.equal(deployer.address);
    await registry.connect(asTimelock).setMarketPaused(true);
    await registry.connect(deployer).setMarketPaused(false);
    const [, , , , , , paused] = await registry.addresses();
    expect(paused).to.equal(false, "the guardian overrode the DAO");
    await mHelpers.time.increase(10 * 365 * 86_400);
    await registry.connect(deployer).setMarketPaused(true);
    expect((await registry.addresses())[6]).to.equal(true, "ten years later, still a guardian");
  });
});
