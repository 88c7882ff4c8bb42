// Governance's time windows at the exact second, as OpenZeppelin's Governor and TimelockController define them on
// Curia's timestamp clock: votes open after the snapshot (snapshot < now ≤ deadline), a proposal can be queued from
// deadline + 1, executed from its eta, and the guardian cancels until the end of its term (now ≤ termEnd).
import { expect } from "chai";
import { GovernanceHelper, ProposalState, stateBitmap, VoteType } from "../../scripts/drivers/governance.js";
import { Clock } from "../../scripts/drivers/time.js";
import { deployGovernanceFixture, networkHelpers } from "../helpers/fixtures.js";

/** A proposal (a 1-wei treasury grant) made at a pinned second. */
async function proposedFixture() {
  const f = await networkHelpers.loadFixture(deployGovernanceFixture);
  const { governor, token, alice, dave } = f;
  const proposal = new GovernanceHelper(
    governor,
    networkHelpers,
    [{ target: await token.getAddress(), data: token.interface.encodeFunctionData("transfer", [dave.address, 1n]) }],
    "A grant of one wei",
  );
  const clock = new Clock(networkHelpers);
  const proposedAt = await clock.next();
  await proposal.propose(alice);
  const id = await proposal.proposalId();
  const { snapshot, deadline } = await proposal.timepoints();
  expect(snapshot).to.equal(proposedAt + (await governor.votingDelay()));
  expect(deadline).to.equal(snapshot + (await governor.votingPeriod()));
  return { ...f, proposal, clock, id, snapshot, deadline };
}

describe("Governance: deadlines to the second", function () {
  it("refuses a vote at the snapshot and takes one the second after", async function () {
    const { governor, proposal, clock, id, snapshot, alice } = await networkHelpers.loadFixture(proposedFixture);
    await clock.at(snapshot);
    await expect(proposal.vote(alice, VoteType.For))
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Pending, stateBitmap(ProposalState.Active));
    await clock.at(snapshot + 1n);
    await expect(proposal.vote(alice, VoteType.For)).to.emit(governor, "VoteCast");
  });

  it("takes a vote at the deadline, refuses one the second after, and queues only then", async function () {
    const { governor, proposal, clock, id, snapshot, deadline, alice, bob } =
      await networkHelpers.loadFixture(proposedFixture);
    await clock.at(snapshot + 1n);
    await proposal.vote(alice, VoteType.For);
    await clock.at(deadline);
    await expect(proposal.queue())
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Active, stateBitmap(ProposalState.Succeeded));
    // Bob's vote reaches the quorum at the deadline itself: the late-quorum rule extends the vote from there.
    await expect(proposal.vote(bob, VoteType.For)).to.emit(governor, "VoteCast");
    const extended = (await proposal.timepoints()).deadline;
    expect(extended).to.equal(deadline + (await governor.lateQuorumVoteExtension()));
    await clock.at(extended + 1n);
    await expect(proposal.vote(bob, VoteType.Against))
      .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
      .withArgs(id, ProposalState.Succeeded, stateBitmap(ProposalState.Active));
    await expect(proposal.queue()).to.emit(governor, "ProposalQueued");
  });

  it("queues at deadline + 1 when quorum came early, and executes at the eta, not a second before", async function () {
    const { governor, timelock, proposal, clock, deadline, alice, bob } =
      await networkHelpers.loadFixture(proposedFixture);
    await proposal.waitForSnapshot();
    await proposal.vote(alice, VoteType.For);
    await proposal.vote(bob, VoteType.For);
    expect((await proposal.timepoints()).deadline).to.equal(deadline, "no extension for an early quorum");
    const queuedAt = await clock.at(deadline + 1n);
    await expect(proposal.queue()).to.emit(governor, "ProposalQueued");
    const eta = (await proposal.timepoints()).eta;
    expect(eta).to.equal(queuedAt + (await timelock.getMinDelay()));
    await clock.justBefore(eta);
    await expect(proposal.execute()).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
    await clock.at(eta);
    await expect(proposal.execute()).to.emit(governor, "ProposalExecuted");
    expect(await proposal.state()).to.equal(ProposalState.Executed);
  });

  it("lets the guardian cancel at the last second of its term and not the second after", async function () {
    const { governor, proposal, clock, id, deployer } = await networkHelpers.loadFixture(proposedFixture);
    const termEnd = await governor.proposalGuardianTermEnd();
    const proposed = await networkHelpers.takeSnapshot();
    await clock.at(termEnd);
    await expect(proposal.cancel(deployer)).to.emit(governor, "ProposalCanceled").withArgs(id);
    await proposed.restore();
    await clock.at(termEnd + 1n);
    await expect(proposal.cancel(deployer))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(id, deployer.address);
  });
});
