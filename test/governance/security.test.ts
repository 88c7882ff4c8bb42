import { expect } from "chai";
import { parseEther } from "ethers";
import { deployGovernanceFixture, ethers, HOLDINGS, networkHelpers } from "../helpers/fixtures.js";
import { GovernanceHelper, ProposalState, VoteType } from "../../scripts/drivers/governance.js";

async function treasuryGrant(
  fixture: Awaited<ReturnType<typeof deployGovernanceFixture>>,
  to: string,
  amount: bigint,
  description: string,
): Promise<GovernanceHelper> {
  const { governor, token } = fixture;
  return new GovernanceHelper(
    governor,
    networkHelpers,
    [{ target: await token.getAddress(), data: token.interface.encodeFunctionData("transfer", [to, amount]) }],
    description,
  );
}

describe("Governance safety", function () {
  it("gives no voting power to tokens bought or borrowed after the snapshot (the Beanstalk flash loan)", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, dave, governor, token } = fixture;
    const proposal = await treasuryGrant(fixture, dave.address, parseEther("100000000"), "Drain the treasury");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();

    // After the snapshot, the attacker "borrows" everything alice and bob hold and delegates it to himself.
    await token.connect(alice).transfer(dave.address, HOLDINGS.alice);
    await token.connect(bob).transfer(dave.address, HOLDINGS.bob);
    await token.connect(dave).delegate(dave.address);
    expect(await token.getVotes(dave.address)).to.equal(HOLDINGS.alice + HOLDINGS.bob);

    const id = await proposal.proposalId();
    await expect(proposal.vote(dave, VoteType.For))
      .to.emit(governor, "VoteCast")
      .withArgs(dave.address, id, VoteType.For, 0n, "");
    const [, forVotes] = await governor.proposalVotes(id);
    expect(forVotes).to.equal(0n);

    // The lenders still vote with their snapshot weight, and the proposal fails on their votes.
    await proposal.vote(alice, VoteType.Against);
    await proposal.vote(bob, VoteType.Against);
    await proposal.waitForDeadline();
    expect(await proposal.state()).to.equal(ProposalState.Defeated);
  });

  it("refuses a proposal made with tokens flash-borrowed in the same transaction", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, dave, governor, token } = fixture;
    const lender = await ethers.deployContract("MockFlashLender", [await token.getAddress()]);
    const attacker = await ethers.deployContract("FlashLoanAttacker", [
      await lender.getAddress(),
      await governor.getAddress(),
    ]);
    const loan = HOLDINGS.alice;
    await token.connect(alice).transfer(await lender.getAddress(), loan);

    const proposal = await treasuryGrant(fixture, dave.address, parseEther("100000000"), "Drain via flash loan");
    const call = governor.interface.encodeFunctionData("propose", [
      proposal.targets,
      proposal.values,
      proposal.calldatas,
      proposal.description,
    ]);
    await expect(attacker.connect(dave).attack(loan, call))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(await attacker.getAddress(), 0n, await governor.proposalThreshold());
    expect(await token.balanceOf(await lender.getAddress())).to.equal(loan);
  });

  it("refuses a proposer below the threshold", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, dave, governor, token } = fixture;
    const threshold = await governor.proposalThreshold();
    await token.connect(alice).transfer(dave.address, threshold - 1n);
    await token.connect(dave).delegate(dave.address);
    await networkHelpers.mine();
    const proposal = await treasuryGrant(fixture, dave.address, 1n, "Just below");
    await expect(proposal.propose(dave))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(dave.address, threshold - 1n, threshold);

    await token.connect(alice).transfer(dave.address, 1n);
    await networkHelpers.mine();
    await expect(proposal.propose(dave)).to.emit(governor, "ProposalCreated");
  });

  it("extends the deadline when a late swing vote reaches quorum", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, governor } = fixture;
    const proposal = await treasuryGrant(fixture, bob.address, 1n, "Late quorum");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();
    const id = await proposal.proposalId();
    await proposal.vote(alice, VoteType.For); // 17M of a 20M quorum
    const originalDeadline = await governor.proposalDeadline(id);
    const extension = await governor.lateQuorumVoteExtension();

    // Bob swings it 10 seconds before the end: the vote must stay open `extension` seconds after that.
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 10n);
    await expect(proposal.vote(bob, VoteType.For))
      .to.emit(governor, "ProposalExtended")
      .withArgs(id, originalDeadline - 10n + extension);
    expect(await governor.proposalDeadline(id)).to.equal(originalDeadline - 10n + extension);

    await networkHelpers.time.increaseTo(originalDeadline + 1n);
    expect(await proposal.state()).to.equal(ProposalState.Active);
    await proposal.waitForDeadline();
    expect(await proposal.state()).to.equal(ProposalState.Succeeded);
  });

  it("does not extend the deadline when quorum was reached early", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, carol, governor } = fixture;
    const proposal = await treasuryGrant(fixture, bob.address, 1n, "Early quorum");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();
    const id = await proposal.proposalId();
    const originalDeadline = await governor.proposalDeadline(id);
    await proposal.vote(alice, VoteType.For);
    await expect(proposal.vote(bob, VoteType.For)).to.not.emit(governor, "ProposalExtended");
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 10n);
    await expect(proposal.vote(carol, VoteType.Against)).to.not.emit(governor, "ProposalExtended");
    expect(await governor.proposalDeadline(id)).to.equal(originalDeadline);
  });

  it("does not extend the deadline for a late For vote when quorum was reached before the late window", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, carol, governor } = fixture;
    const proposal = await treasuryGrant(fixture, bob.address, 1n, "Quorum before the window");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();
    const id = await proposal.proposalId();
    const originalDeadline = await governor.proposalDeadline(id);
    await proposal.vote(alice, VoteType.For);
    await proposal.vote(bob, VoteType.For); // quorum reached here, long before the window
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 5n);
    await expect(proposal.vote(carol, VoteType.For)).to.not.emit(governor, "ProposalExtended");
    expect(await governor.proposalDeadline(id)).to.equal(originalDeadline);
  });

  it("extends once when two votes inside the late window reach quorum together, and never again", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, carol, governor } = fixture;
    const proposal = await treasuryGrant(fixture, bob.address, 1n, "Both late");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();
    const id = await proposal.proposalId();
    const originalDeadline = await governor.proposalDeadline(id);
    const extension = await governor.lateQuorumVoteExtension();
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 30n);
    await expect(proposal.vote(alice, VoteType.For)).to.not.emit(governor, "ProposalExtended");
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 20n);
    await expect(proposal.vote(bob, VoteType.Abstain))
      .to.emit(governor, "ProposalExtended")
      .withArgs(id, originalDeadline - 20n + extension);
    // A later vote inside the new window changes nothing: quorum was reached before it.
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 20n + extension - 5n);
    await expect(proposal.vote(carol, VoteType.For)).to.not.emit(governor, "ProposalExtended");
    expect(await governor.proposalDeadline(id)).to.equal(originalDeadline - 20n + extension);
  });

  it("keeps a granted extension when governance later shortens the late-quorum extension", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, carol, governor } = fixture;
    const subject = await treasuryGrant(fixture, bob.address, 1n, "Extended, then the rule changes");
    const shorten = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("setLateQuorumVoteExtension", [60]),
        },
      ],
      "Shorter late-quorum extension",
    );
    await subject.propose(alice);
    await shorten.propose(alice);
    await subject.waitForSnapshot();
    await shorten.vote(alice, VoteType.For);
    await shorten.vote(bob, VoteType.For);
    const id = await subject.proposalId();
    const originalDeadline = await governor.proposalDeadline(id);
    const extension = await governor.lateQuorumVoteExtension();
    await subject.vote(alice, VoteType.For);
    await networkHelpers.time.setNextBlockTimestamp(originalDeadline - 10n);
    await expect(subject.vote(bob, VoteType.For)).to.emit(governor, "ProposalExtended");
    const extended = originalDeadline - 10n + extension;

    await shorten.waitForDeadline();
    await shorten.queue();
    await shorten.waitForEta();
    await expect(shorten.execute()).to.emit(governor, "LateQuorumVoteExtensionSet").withArgs(extension, 60);
    expect(await governor.proposalDeadline(id)).to.equal(extended);
    expect(await subject.state()).to.equal(ProposalState.Active);
    await subject.vote(carol, VoteType.Against);
    await subject.waitForDeadline();
    expect(await subject.state()).to.equal(ProposalState.Succeeded);
  });

  it("lets the guardian cancel a malicious proposal, even once queued", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { deployer, alice, bob, dave, governor, timelock } = fixture;
    expect(await governor.proposalGuardian()).to.equal(deployer.address);
    const proposal = await treasuryGrant(fixture, dave.address, parseEther("1000000"), "Malicious grant");
    await proposal.propose(alice);
    await proposal.waitForSnapshot();
    await proposal.vote(alice, VoteType.For);
    await proposal.vote(bob, VoteType.For);
    await proposal.waitForDeadline();
    await proposal.queue();
    const id = await proposal.proposalId();
    await expect(proposal.cancel(deployer))
      .to.emit(governor, "ProposalCanceled")
      .withArgs(id)
      .and.to.emit(timelock, "Cancelled");
    expect(await proposal.state()).to.equal(ProposalState.Canceled);
    await proposal.waitForEta();
    await expect(proposal.execute()).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
  });

  it("takes the guardian's power away once its term has ended", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { deployer, alice, dave, governor } = fixture;
    const termEnd = await governor.proposalGuardianTermEnd();
    await networkHelpers.time.increaseTo(termEnd + 1n);
    expect(await governor.proposalGuardian()).to.equal(ethers.ZeroAddress);

    const proposal = await treasuryGrant(fixture, dave.address, 1n, "After the term");
    await proposal.propose(alice);
    const id = await proposal.proposalId();
    await expect(proposal.cancel(deployer))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(id, deployer.address);
    // With no guardian, the proposer may still withdraw its own proposal.
    await expect(proposal.cancel(alice)).to.emit(governor, "ProposalCanceled").withArgs(id);
  });

  it("only lets a proposal renew the guardian's term, within bounds", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { deployer, alice, bob, governor } = fixture;
    const oldEnd = await governor.proposalGuardianTermEnd();
    await expect(governor.connect(deployer).setProposalGuardianTerm(oldEnd + 1n))
      .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
      .withArgs(deployer.address);
    const newEnd = oldEnd + 86_400n;
    const renew = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("setProposalGuardianTerm", [newEnd]),
        },
      ],
      "Renew the guardian for a day",
    );
    await renew.passAndQueue(alice, [alice, bob]);
    await expect(renew.execute()).to.emit(governor, "ProposalGuardianTermSet").withArgs(oldEnd, newEnd);
    expect(await governor.proposalGuardianTermEnd()).to.equal(newEnd);
  });

  it("stops another account from front-running a proposal that carries the #proposer= suffix", async function () {
    const fixture = await networkHelpers.loadFixture(deployGovernanceFixture);
    const { alice, bob, governor, token } = fixture;
    const description = GovernanceHelper.protectedDescription("Fund the audit", alice.address);
    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [{ target: await token.getAddress(), data: token.interface.encodeFunctionData("transfer", [alice.address, 1n]) }],
      description,
    );
    // Bob sees alice's transaction in the mempool and submits the same proposal first.
    await expect(proposal.propose(bob))
      .to.be.revertedWithCustomError(governor, "GovernorRestrictedProposer")
      .withArgs(bob.address);
    await expect(proposal.propose(alice)).to.emit(governor, "ProposalCreated");
    expect(await governor.proposalProposer(await proposal.proposalId())).to.equal(alice.address);
  });
});
