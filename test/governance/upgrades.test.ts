import { expect } from "chai";
import hre from "hardhat";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import { connection, deployGovernanceFixture, ethers, HOLDINGS, networkHelpers } from "../helpers/fixtures.js";
import { GovernanceHelper, ProposalState, VoteType } from "../../scripts/drivers/governance.js";

const upgradesApi = await upgrades(hre, connection);

describe("Upgrades", function () {
  it("upgrades the Governor through a passed proposal and keeps its state", async function () {
    const { alice, bob, governor, token, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const governorAddress = await governor.getAddress();

    // A finished proposal before the upgrade: its record must survive.
    const earlier = new GovernanceHelper(
      governor,
      networkHelpers,
      [{ target: governorAddress, data: governor.interface.encodeFunctionData("setVotingDelay", [120]) }],
      "Voting delay to two minutes",
    );
    await earlier.passAndExecute(alice, [alice, bob]);
    const earlierId = await earlier.proposalId();

    // Storage-layout validation by the upgrades plugin, then deployment of the new implementation.
    const V2 = await ethers.getContractFactory("CuriaGovernorV2");
    await upgradesApi.validateUpgrade(governorAddress, V2, { kind: "uups" });
    const newImplementation = (await upgradesApi.prepareUpgrade(governorAddress, V2, { kind: "uups" })) as string;

    const upgrade = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: governorAddress,
          data: governor.interface.encodeFunctionData("upgradeToAndCall", [
            newImplementation,
            V2.interface.encodeFunctionData("initializeV2"),
          ]),
        },
      ],
      "Upgrade the Governor to v2",
    );
    await expect(upgrade.passAndExecute(alice, [alice, bob])).to.not.be.revert(ethers);
    expect(await upgradesApi.erc1967.getImplementationAddress(governorAddress)).to.equal(newImplementation);

    const v2 = await ethers.getContractAt("CuriaGovernorV2", governorAddress);
    expect(await v2.governorVersion()).to.equal(2n);
    expect(await v2.votingDelay()).to.equal(120n);
    expect(await v2.votingPeriod()).to.equal(3_600n);
    expect(await v2["quorumNumerator()"]()).to.equal(4n);
    expect(await v2.token()).to.equal(await token.getAddress());
    expect(await v2.timelock()).to.equal(await timelock.getAddress());
    expect(await v2.state(earlierId)).to.equal(ProposalState.Executed);
    expect(await v2.hasVoted(earlierId, alice.address)).to.equal(true);
    expect(await v2.proposalProposer(earlierId)).to.equal(alice.address);
  });

  it("upgrades the token through a passed proposal and keeps balances, delegations and checkpoints", async function () {
    const { alice, bob, carol, governor, token } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const tokenAddress = await token.getAddress();
    const checkpointTime = (await networkHelpers.time.latest()) - 1;
    const supply = await token.totalSupply();

    const V2 = await ethers.getContractFactory("CuriaTokenV2");
    await upgradesApi.validateUpgrade(tokenAddress, V2, { kind: "uups" });
    const newImplementation = (await upgradesApi.prepareUpgrade(tokenAddress, V2, { kind: "uups" })) as string;
    const upgrade = new GovernanceHelper(
      governor,
      networkHelpers,
      [
        {
          target: tokenAddress,
          data: token.interface.encodeFunctionData("upgradeToAndCall", [
            newImplementation,
            V2.interface.encodeFunctionData("initializeV2"),
          ]),
        },
      ],
      "Upgrade the token to v2",
    );
    await upgrade.passAndExecute(alice, [alice, bob]);

    const v2 = await ethers.getContractAt("CuriaTokenV2", tokenAddress);
    expect(await v2.tokenVersion()).to.equal(2n);
    expect(await v2.totalSupply()).to.equal(supply);
    expect(await v2.balanceOf(carol.address)).to.equal(HOLDINGS.carol);
    expect(await v2.delegates(carol.address)).to.equal(carol.address);
    expect(await v2.getVotes(alice.address)).to.equal(HOLDINGS.alice);
    expect(await v2.getPastVotes(bob.address, checkpointTime)).to.equal(HOLDINGS.bob);
    expect(await v2.owner()).to.equal(await governor.timelock());
    expect(await v2.cap()).to.equal(await token.cap());
  });

  describe("reverts", function () {
    it("refuses a direct Governor upgrade, even from the deployer, with GovernorOnlyExecutor", async function () {
      const { deployer, alice, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const implementation = await ethers.deployContract("CuriaGovernorV2");
      for (const caller of [deployer, alice]) {
        await expect(governor.connect(caller).upgradeToAndCall(await implementation.getAddress(), "0x"))
          .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
          .withArgs(caller.address);
      }
    });

    it("refuses a direct token upgrade with OwnableUnauthorizedAccount", async function () {
      const { deployer, token } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const implementation = await ethers.deployContract("CuriaTokenV2");
      await expect(token.connect(deployer).upgradeToAndCall(await implementation.getAddress(), "0x"))
        .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
        .withArgs(deployer.address);
    });

    it("refuses a direct timelock upgrade with CuriaTimelockUnauthorizedUpgrade", async function () {
      const { deployer, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const implementation = await ethers.deployContract("CuriaTimelock");
      await expect(timelock.connect(deployer).upgradeToAndCall(await implementation.getAddress(), "0x"))
        .to.be.revertedWithCustomError(timelock, "CuriaTimelockUnauthorizedUpgrade")
        .withArgs(deployer.address);
    });

    it("lets a passed proposal upgrade nothing it did not vote for: a vote that fails leaves the implementation", async function () {
      const { alice, bob, carol, governor } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const governorAddress = await governor.getAddress();
      const before = await upgradesApi.erc1967.getImplementationAddress(governorAddress);
      const implementation = await ethers.deployContract("CuriaGovernorV2");
      const upgrade = new GovernanceHelper(
        governor,
        networkHelpers,
        [
          {
            target: governorAddress,
            data: governor.interface.encodeFunctionData("upgradeToAndCall", [await implementation.getAddress(), "0x"]),
          },
        ],
        "Sneaky upgrade",
      );
      await upgrade.propose(carol);
      await upgrade.waitForSnapshot();
      await upgrade.vote(alice, VoteType.Against);
      await upgrade.vote(bob, VoteType.Against);
      await upgrade.vote(carol, VoteType.For);
      await upgrade.waitForDeadline();
      expect(await upgrade.state()).to.equal(ProposalState.Defeated);
      await expect(upgrade.queue()).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
      expect(await upgradesApi.erc1967.getImplementationAddress(governorAddress)).to.equal(before);
    });
  });
});
