import { expect } from "chai";
import { parseEther } from "ethers";
import { deployGovernanceFixture, ethers, HOLDINGS, networkHelpers } from "../helpers/fixtures.js";
import { GovernanceHelper, ProposalState, VoteType } from "../../scripts/drivers/governance.js";

describe("Governance lifecycle", function () {
  it("delegates, proposes, votes for/against/abstain with a reason and by signature, queues and executes a treasury transfer", async function () {
    const { alice, bob, carol, dave, token, governor, timelock } =
      await networkHelpers.loadFixture(deployGovernanceFixture);
    const treasury = await timelock.getAddress();
    const grant = parseEther("250000");

    // Delegation: dave holds tokens but delegates them to carol, so carol votes with both.
    await token.connect(alice).transfer(dave.address, parseEther("1000"));
    await expect(token.connect(dave).delegate(carol.address))
      .to.emit(token, "DelegateChanged")
      .withArgs(dave.address, ethers.ZeroAddress, carol.address);
    expect(await token.getVotes(carol.address)).to.equal(HOLDINGS.carol + parseEther("1000"));

    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: await token.getAddress(),
          data: token.interface.encodeFunctionData("transfer", [dave.address, grant]),
        },
      ],
      "Grant 250k CUR to dave for the validator client",
    );
    await expect(proposal.propose(alice)).to.emit(governor, "ProposalCreated");
    const id = await proposal.proposalId();
    expect(await proposal.state()).to.equal(ProposalState.Pending);

    await proposal.waitForSnapshot();
    expect(await proposal.state()).to.equal(ProposalState.Active);
    await expect(proposal.vote(alice, VoteType.For, "Good use of treasury"))
      .to.emit(governor, "VoteCast")
      .withArgs(alice.address, id, VoteType.For, HOLDINGS.alice - parseEther("1000"), "Good use of treasury");
    await expect(proposal.vote(bob, VoteType.Against, "Too large"))
      .to.emit(governor, "VoteCast")
      .withArgs(bob.address, id, VoteType.Against, HOLDINGS.bob, "Too large");
    // carol signs; dave relays and pays the gas.
    await expect(proposal.voteBySig(carol, VoteType.Abstain, dave))
      .to.emit(governor, "VoteCast")
      .withArgs(carol.address, id, VoteType.Abstain, HOLDINGS.carol + parseEther("1000"), "");
    expect(await governor.hasVoted(id, carol.address)).to.equal(true);
    expect(await governor.nonces(carol.address)).to.equal(1n);

    const [against, forVotes, abstain] = await governor.proposalVotes(id);
    expect([against, forVotes, abstain]).to.deep.equal([
      HOLDINGS.bob,
      HOLDINGS.alice - parseEther("1000"),
      HOLDINGS.carol + parseEther("1000"),
    ]);

    await proposal.waitForDeadline();
    expect(await proposal.state()).to.equal(ProposalState.Succeeded);
    await expect(proposal.queue()).to.emit(governor, "ProposalQueued");
    expect(await proposal.state()).to.equal(ProposalState.Queued);
    await proposal.waitForEta();

    const before = await token.balanceOf(treasury);
    await expect(proposal.execute(bob)).to.emit(governor, "ProposalExecuted").withArgs(id);
    expect(await proposal.state()).to.equal(ProposalState.Executed);
    expect(await token.balanceOf(treasury)).to.equal(before - grant);
    expect(await token.balanceOf(dave.address)).to.equal(parseEther("1000") + grant);
  });

  it("changes governed settings through a proposal, each setter emitting old and new values", async function () {
    const { alice, bob, governor, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const governorAddress = await governor.getAddress();
    const timelockAddress = await timelock.getAddress();
    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        { target: governorAddress, data: governor.interface.encodeFunctionData("setVotingPeriod", [7_200]) },
        { target: governorAddress, data: governor.interface.encodeFunctionData("updateQuorumNumerator", [5]) },
        { target: timelockAddress, data: timelock.interface.encodeFunctionData("updateDelay", [300]) },
      ],
      "Longer votes, higher quorum, longer delay",
    );
    await proposal.passAndQueue(alice, [alice, bob]);
    await expect(proposal.execute())
      .to.emit(governor, "VotingPeriodSet")
      .withArgs(3_600, 7_200)
      .and.to.emit(governor, "QuorumNumeratorUpdated")
      .withArgs(4, 5)
      .and.to.emit(timelock, "MinDelayChange")
      .withArgs(120, 300);
    expect(await governor.votingPeriod()).to.equal(7_200n);
    expect(await governor["quorumNumerator()"]()).to.equal(5n);
    expect(await timelock.getMinDelay()).to.equal(300n);
  });

  it("refuses a governed setting outside its bounds even from a passed proposal", async function () {
    const { alice, bob, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: await governor.getAddress(),
          data: governor.interface.encodeFunctionData("updateQuorumNumerator", [0]),
        },
      ],
      "Quorum of zero",
    );
    await proposal.passAndExecute(alice, [alice, bob]).then(
      () => expect.fail("a zero quorum must be refused"),
      (error: unknown) => {
        // The timelock bubbles up the Governor's custom error.
        const decoded = governor.interface.parseError((error as { data: string }).data);
        expect(decoded?.name).to.equal("CuriaGovernorQuorumOutOfBounds");
        expect(decoded?.args.map((x: bigint) => x)).to.deep.equal([0n, 1n, 50n]);
      },
    );
    expect(await governor["quorumNumerator()"]()).to.equal(4n);
  });
});
