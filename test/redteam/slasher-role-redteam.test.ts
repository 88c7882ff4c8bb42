// Red team of the CurationPool's slasher role, played by whoever finds a way to act as ListingChallenges (a flaw in an
// upgrade of it, or a path that makes it call out). The attack succeeded while the deployment made ListingChallenges
// the pool's slasher, a role it had stopped using when a delisting's curator slash moved into the registry's one call
// into its pool (resolveDispute): acting as ListingChallenges, the attacker slashed any listing's curators to itself.
// Every test asserts the safe behaviour: it fails if the attack it plays works.
import { expect } from "chai";
import { parseEther, ZeroAddress } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { courtWiringActions } from "../../deploy/court.js";
import { cEthers, Choice, cHelpers, deployCourtFixture } from "../helpers/court.js";
import { MarketHelper } from "../helpers/marketplace.js";

const CURATION = LOCAL_CONFIG.marketplace.curation;
const STAKE = parseEther("5000");

async function curatedListingFixture() {
  const f = await cHelpers.loadFixture(deployCourtFixture);
  const market = new MarketHelper(f.registry, f.curationPool, cHelpers);
  const listingId = await market.listActive(f.provider, "slasher-role-model");
  await market.stakeActive(f.curator, listingId, STAKE);
  return { ...f, listingId };
}

describe("red team: the CurationPool's slasher role", function () {
  it("ATTACK (fails since the deployment gives ListingChallenges no role in the pool): acting as ListingChallenges, an attacker slashes a listing's curators to itself", async function () {
    const { curationPool, challenges, outsider, token, listingId } = await curatedListingFixture();
    const asChallenges = await cEthers.getImpersonatedSigner(await challenges.getAddress());
    await cHelpers.setBalance(asChallenges.address, parseEther("1"));
    const before = await token.balanceOf(outsider.address);
    await expect(curationPool.connect(asChallenges).slash(listingId, outsider.address))
      .to.be.revertedWithCustomError(curationPool, "CurationOnlySlasher")
      .withArgs(asChallenges.address);
    expect(await token.balanceOf(outsider.address)).to.equal(before);
    expect((await curationPool.listingPool(listingId)).activeStake).to.equal(STAKE);
    const [, , slasher] = await curationPool.addresses();
    expect(slasher, "no slasher until the DAO names one").to.equal(ZeroAddress);
  });

  it("a delisting still slashes the curators for the treasury, through the registry", async function () {
    const { curationPool, courtHelper, challenger, asTimelock, listingId } = await curatedListingFixture();
    const disputeId = await courtHelper.challenge(challenger, listingId);
    await courtHelper.runRound(disputeId, () => Choice.Challenger);
    const slashed = (STAKE * BigInt(CURATION.slashBps)) / 10_000n;
    await expect(courtHelper.execute(disputeId))
      .to.emit(curationPool, "CuratorsSlashed")
      .withArgs(listingId, slashed, 0n, asTimelock.address, STAKE - slashed, 0n);
  });

  it("re-running the deployment on one that granted the role takes it back", async function () {
    const { curationPool, court, registry, challenges, asTimelock } = await curatedListingFixture();
    const challengesAddress = await challenges.getAddress();
    const marketplace = { registry, curationPool };
    expect(await courtWiringActions(marketplace, court, challengesAddress)).to.deep.equal([]);

    // What deployments before this change did.
    await curationPool.connect(asTimelock).setSlasher(challengesAddress);
    const actions = await courtWiringActions(marketplace, court, challengesAddress);
    expect(actions).to.deep.equal([
      {
        target: await curationPool.getAddress(),
        data: curationPool.interface.encodeFunctionData("setSlasher", [ZeroAddress]),
      },
    ]);
    for (const action of actions) await asTimelock.sendTransaction({ to: action.target, data: action.data });
    expect((await curationPool.addresses())[2]).to.equal(ZeroAddress);
    expect(await courtWiringActions(marketplace, court, challengesAddress)).to.deep.equal([]);
  });
});
