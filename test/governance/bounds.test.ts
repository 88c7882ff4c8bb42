// Both sides of every governance bound: the Governor's settings at their documented extremes are accepted (at
// initialisation, which runs the setters' own checks, and through a passed proposal) and one past each is refused with
// the exact error (the other refusals are in initializers.test.ts); the timelock's delay likewise, from the timelock.
import { expect } from "chai";
import type { Interface } from "ethers";
import { LOCAL_DEFAULTS } from "../../deploy/config.js";
import { GovernanceHelper } from "../../scripts/drivers/governance.js";
import { Clock } from "../../scripts/drivers/time.js";
import { deployGovernanceFixture, ethers, governorSettings, networkHelpers } from "../helpers/fixtures.js";

const DAY = 86_400n;
const g = LOCAL_DEFAULTS.governor;

describe("Governance: both sides of every bound", function () {
  it("initialises a Governor with every setting at its documented minimum, and at its maximum", async function () {
    const { token, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const [t, tl] = [await token.getAddress(), await timelock.getAddress()];
    const supply = await token.totalSupply();
    const guardian = (await ethers.getSigners())[1]!.address;
    const clock = new Clock(networkHelpers);
    for (const extreme of ["min", "max"] as const) {
      const deployedAt = (await clock.now()) + 10n;
      const s =
        extreme === "min"
          ? {
              votingDelay: 1,
              votingPeriod: 3_600,
              quorumNumerator: 1,
              proposalThreshold: 0n,
              lateQuorumVoteExtension: 0,
            }
          : {
              votingDelay: 30n * DAY,
              votingPeriod: 90n * DAY,
              quorumNumerator: 50,
              proposalThreshold: supply,
              lateQuorumVoteExtension: 90n * DAY,
            };
      // The guardian's term may end now (min) or exactly MAX_GUARDIAN_TERM from now (max).
      const termEnd = extreme === "min" ? deployedAt : deployedAt + 730n * DAY;
      await clock.at(deployedAt - 1n);
      const implementation = await ethers.deployContract("CuriaGovernor");
      const data = (implementation.interface as Interface).encodeFunctionData("initialize", [
        t,
        tl,
        governorSettings({ ...s, proposalGuardian: guardian, guardianTermEnd: termEnd }),
      ]);
      await clock.at(deployedAt);
      const proxy = await (
        await ethers.getContractFactory("ERC1967Proxy")
      ).deploy(await implementation.getAddress(), data);
      const governor = await ethers.getContractAt("CuriaGovernor", await proxy.getAddress());
      expect(await governor.votingDelay(), extreme).to.equal(BigInt(s.votingDelay));
      expect(await governor.votingPeriod(), extreme).to.equal(BigInt(s.votingPeriod));
      expect(await governor["quorumNumerator()"](), extreme).to.equal(BigInt(s.quorumNumerator));
      expect(await governor.proposalThreshold(), extreme).to.equal(s.proposalThreshold);
      expect(await governor.proposalGuardianTermEnd(), extreme).to.equal(termEnd);
    }
  });

  it("refuses a voting delay of zero: the snapshot would be the second of the proposal itself", async function () {
    // DESIGN.md: "a minimum voting delay above 0". With no delay, votes bought in the proposal's own block count.
    const { token, timelock, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
    expect(await governor.MIN_VOTING_DELAY()).to.equal(1n);
    for (const [votingDelay, refused] of [
      [0n, true],
      [1n, false],
      [30n * DAY, false],
      [30n * DAY + 1n, true],
    ] as const) {
      const implementation = await ethers.deployContract("CuriaGovernor");
      const data = (implementation.interface as Interface).encodeFunctionData("initialize", [
        await token.getAddress(),
        await timelock.getAddress(),
        governorSettings({ votingDelay }),
      ]);
      const deployment = (await ethers.getContractFactory("ERC1967Proxy")).deploy(
        await implementation.getAddress(),
        data,
      );
      if (refused) {
        await expect(deployment, `voting delay ${votingDelay}`)
          .to.be.revertedWithCustomError(implementation, "CuriaGovernorVotingDelayOutOfBounds")
          .withArgs(votingDelay, 1n, 30n * DAY);
      } else {
        const proxy = await deployment;
        const governor = await ethers.getContractAt("CuriaGovernor", await proxy.getAddress());
        expect(await governor.votingDelay(), `voting delay ${votingDelay}`).to.equal(votingDelay);
      }
    }
  });

  it("refuses a guardian term one second past its maximum, or one second in the past", async function () {
    const { token, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const [t, tl] = [await token.getAddress(), await timelock.getAddress()];
    const guardian = (await ethers.getSigners())[1]!.address;
    const clock = new Clock(networkHelpers);
    for (const offset of [730n * DAY + 1n, -1n]) {
      const implementation = await ethers.deployContract("CuriaGovernor");
      const factory = await ethers.getContractFactory("ERC1967Proxy");
      // Read the clock after the implementation's block, with a wide margin: blocks take the wall clock's time, and a
      // loaded machine can spend seconds between two calls.
      const deployedAt = (await clock.now()) + 600n;
      const termEnd = deployedAt + offset;
      const data = (implementation.interface as Interface).encodeFunctionData("initialize", [
        t,
        tl,
        governorSettings({ proposalGuardian: guardian, guardianTermEnd: termEnd }),
      ]);
      await clock.at(deployedAt);
      await expect(factory.deploy(await implementation.getAddress(), data))
        .to.be.revertedWithCustomError(implementation, "CuriaGovernorGuardianTermOutOfBounds")
        .withArgs(termEnd, deployedAt, deployedAt + 730n * DAY);
    }
  });

  it("sets the Governor's settings to their maximum through a passed proposal", async function () {
    const { alice, bob, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const address = await governor.getAddress();
    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        { target: address, data: governor.interface.encodeFunctionData("setVotingDelay", [30n * DAY]) },
        { target: address, data: governor.interface.encodeFunctionData("setVotingPeriod", [90n * DAY]) },
        { target: address, data: governor.interface.encodeFunctionData("updateQuorumNumerator", [50n]) },
      ],
      "Every governance setting at its maximum",
    );
    await proposal.passAndQueue(alice, [alice, bob]);
    await expect(proposal.execute())
      .to.emit(governor, "VotingDelaySet")
      .withArgs(BigInt(g.votingDelay), 30n * DAY)
      .and.to.emit(governor, "VotingPeriodSet")
      .withArgs(BigInt(g.votingPeriod), 90n * DAY)
      .and.to.emit(governor, "QuorumNumeratorUpdated")
      .withArgs(BigInt(g.quorumPercent), 50n);
    expect([
      await governor.votingDelay(),
      await governor.votingPeriod(),
      await governor["quorumNumerator()"](),
    ]).to.deep.equal([30n * DAY, 90n * DAY, 50n]);
  });

  it("takes the timelock's delay from 0 to MAX_MIN_DELAY and refuses one second more", async function () {
    const { timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const address = await timelock.getAddress();
    await networkHelpers.setBalance(address, 10n ** 18n);
    const asTimelock = await ethers.getImpersonatedSigner(address);
    const max = 30n * DAY;
    expect(await timelock.MAX_MIN_DELAY()).to.equal(max);
    for (const delay of [0n, max]) {
      await expect(timelock.connect(asTimelock).updateDelay(delay)).to.emit(timelock, "MinDelayChange");
      expect(await timelock.getMinDelay()).to.equal(delay);
    }
    await expect(timelock.connect(asTimelock).updateDelay(max + 1n))
      .to.be.revertedWithCustomError(timelock, "CuriaTimelockDelayOutOfBounds")
      .withArgs(max + 1n, max);
  });
});
