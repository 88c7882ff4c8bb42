import { expect } from "chai";
import type { BaseContract, Interface } from "ethers";
import { parseEther } from "ethers";
import { LOCAL_DEFAULTS } from "../../deploy/config.js";
import { deployGovernanceFixture, ethers, governorSettings, networkHelpers } from "../helpers/fixtures.js";

/** Deploys an ERC1967 proxy whose constructor runs `initialize(...args)` on a fresh implementation. */
async function deployProxyWith(name: "CuriaToken" | "CuriaGovernor" | "CuriaTimelock", args: unknown[]) {
  const implementation = await ethers.deployContract(name);
  const data = (implementation.interface as Interface).encodeFunctionData("initialize", args);
  const Proxy = await ethers.getContractFactory("ERC1967Proxy");
  return {
    implementation: implementation as BaseContract,
    deployment: Proxy.deploy(await implementation.getAddress(), data),
  };
}

const g = LOCAL_DEFAULTS.governor;

describe("Initializers", function () {
  describe("reverts", function () {
    it("CuriaToken refuses a zero owner, empty metadata, a zero cap and allocations above the cap", async function () {
      const [holder] = await ethers.getSigners();
      const owner = holder!.address;
      const cap = parseEther("1000");
      let r = await deployProxyWith("CuriaToken", ["Curia", "CUR", cap, ethers.ZeroAddress, []]);
      await expect(r.deployment)
        .to.be.revertedWithCustomError(r.implementation, "CuriaTokenInvalidOwner")
        .withArgs(ethers.ZeroAddress);
      r = await deployProxyWith("CuriaToken", ["", "CUR", cap, owner, []]);
      await expect(r.deployment).to.be.revertedWithCustomError(r.implementation, "CuriaTokenEmptyMetadata");
      r = await deployProxyWith("CuriaToken", ["Curia", "", cap, owner, []]);
      await expect(r.deployment).to.be.revertedWithCustomError(r.implementation, "CuriaTokenEmptyMetadata");
      r = await deployProxyWith("CuriaToken", ["Curia", "CUR", 0n, owner, []]);
      await expect(r.deployment).to.be.revertedWithCustomError(r.implementation, "ERC20InvalidCap").withArgs(0n);
      r = await deployProxyWith("CuriaToken", ["Curia", "CUR", cap, owner, [{ to: owner, amount: cap + 1n }]]);
      await expect(r.deployment)
        .to.be.revertedWithCustomError(r.implementation, "ERC20ExceededCap")
        .withArgs(cap + 1n, cap);
      r = await deployProxyWith("CuriaToken", ["Curia", "CUR", cap, owner, [{ to: ethers.ZeroAddress, amount: 1n }]]);
      await expect(r.deployment)
        .to.be.revertedWithCustomError(r.implementation, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });

    it("CuriaTimelock refuses a delay above its ceiling and a zero proposer", async function () {
      const [admin] = await ethers.getSigners();
      const max = 30n * 86_400n;
      let r = await deployProxyWith("CuriaTimelock", [max + 1n, [], [ethers.ZeroAddress], admin!.address]);
      await expect(r.deployment)
        .to.be.revertedWithCustomError(r.implementation, "CuriaTimelockDelayOutOfBounds")
        .withArgs(max + 1n, max);
      r = await deployProxyWith("CuriaTimelock", [60, [ethers.ZeroAddress], [ethers.ZeroAddress], admin!.address]);
      await expect(r.deployment)
        .to.be.revertedWithCustomError(r.implementation, "CuriaTimelockInvalidProposer")
        .withArgs(ethers.ZeroAddress);
    });

    it("CuriaGovernor refuses zero dependencies and every out-of-range setting", async function () {
      const { token, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
      const t = await token.getAddress();
      const tl = await timelock.getAddress();
      const supply = await token.totalSupply();
      const now = BigInt(await networkHelpers.time.latest());
      const cases: [unknown[], string, unknown[]][] = [
        [[ethers.ZeroAddress, tl, governorSettings()], "CuriaGovernorInvalidDependencies", [ethers.ZeroAddress, tl]],
        [[t, ethers.ZeroAddress, governorSettings()], "CuriaGovernorInvalidDependencies", [t, ethers.ZeroAddress]],
        [
          [t, tl, governorSettings({ votingDelay: 30 * 86_400 + 1 })],
          "CuriaGovernorVotingDelayOutOfBounds",
          [30n * 86_400n + 1n, 1n, 30n * 86_400n],
        ],
        [
          [t, tl, governorSettings({ votingPeriod: 3_599 })],
          "CuriaGovernorVotingPeriodOutOfBounds",
          [3_599n, 3_600n, 90n * 86_400n],
        ],
        [
          [t, tl, governorSettings({ votingPeriod: 90 * 86_400 + 1 })],
          "CuriaGovernorVotingPeriodOutOfBounds",
          [90n * 86_400n + 1n, 3_600n, 90n * 86_400n],
        ],
        [[t, tl, governorSettings({ quorumNumerator: 0 })], "CuriaGovernorQuorumOutOfBounds", [0n, 1n, 50n]],
        [[t, tl, governorSettings({ quorumNumerator: 51 })], "CuriaGovernorQuorumOutOfBounds", [51n, 1n, 50n]],
        [
          [t, tl, governorSettings({ proposalThreshold: supply + 1n })],
          "CuriaGovernorProposalThresholdOutOfBounds",
          [supply + 1n, supply],
        ],
        [
          [t, tl, governorSettings({ lateQuorumVoteExtension: g.votingPeriod + 1 })],
          "GovernorPreventLateQuorumVoteExtensionTooLarge",
          [BigInt(g.votingPeriod + 1), BigInt(g.votingPeriod)],
        ],
      ];
      for (const [args, error, values] of cases) {
        const r = await deployProxyWith("CuriaGovernor", args);
        await expect(r.deployment, error)
          .to.be.revertedWithCustomError(r.implementation, error)
          .withArgs(...values);
      }
      const blockClock = await ethers.deployContract("BlockClockToken");
      const r0 = await deployProxyWith("CuriaGovernor", [await blockClock.getAddress(), tl, governorSettings()]);
      await expect(r0.deployment)
        .to.be.revertedWithCustomError(r0.implementation, "CuriaGovernorTokenClockNotTimestamp")
        .withArgs("mode=blocknumber&from=default");
      // A guardian needs a term that ends in the future, and not too far in it.
      const guardian = (await ethers.getSigners())[1]!.address;
      const tooFar = now + 731n * 86_400n;
      const r1 = await deployProxyWith("CuriaGovernor", [
        t,
        tl,
        governorSettings({ proposalGuardian: guardian, guardianTermEnd: tooFar }),
      ]);
      await expect(r1.deployment).to.be.revertedWithCustomError(
        r1.implementation,
        "CuriaGovernorGuardianTermOutOfBounds",
      );
      const r2 = await deployProxyWith("CuriaGovernor", [
        t,
        tl,
        governorSettings({ proposalGuardian: guardian, guardianTermEnd: now - 10n }),
      ]);
      await expect(r2.deployment).to.be.revertedWithCustomError(
        r2.implementation,
        "CuriaGovernorGuardianTermOutOfBounds",
      );
    });

    it("refuses to initialize a live proxy twice, or an implementation at all", async function () {
      const { deployer, token, governor, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
      await expect(token.initialize("X", "X", 1n, deployer.address, [])).to.be.revertedWithCustomError(
        token,
        "InvalidInitialization",
      );
      await expect(
        governor.initialize(await token.getAddress(), await timelock.getAddress(), governorSettings()),
      ).to.be.revertedWithCustomError(governor, "InvalidInitialization");
      await expect(timelock.initialize(0, [], [], deployer.address)).to.be.revertedWithCustomError(
        timelock,
        "InvalidInitialization",
      );
      const implementation = await ethers.deployContract("CuriaToken");
      await expect(implementation.initialize("X", "X", 1n, deployer.address, [])).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
    });
  });

  it("mints only by the timelock and never past the cap", async function () {
    const { deployer, token, timelock } = await networkHelpers.loadFixture(deployGovernanceFixture);
    await expect(token.connect(deployer).mint(deployer.address, 1n))
      .to.be.revertedWithCustomError(token, "OwnableUnauthorizedAccount")
      .withArgs(deployer.address);
    const timelockAddress = await timelock.getAddress();
    await networkHelpers.setBalance(timelockAddress, parseEther("1"));
    const asTimelock = await ethers.getImpersonatedSigner(timelockAddress);
    await expect(token.connect(asTimelock).mint(deployer.address, 5n))
      .to.emit(token, "TokensMinted")
      .withArgs(deployer.address, 5n);
    const room = (await token.cap()) - (await token.totalSupply());
    await expect(token.connect(asTimelock).mint(deployer.address, room + 1n)).to.be.revertedWithCustomError(
      token,
      "ERC20ExceededCap",
    );
    await expect(token.connect(asTimelock).renounceOwnership()).to.be.revertedWithCustomError(
      token,
      "CuriaTokenOwnershipRequired",
    );
    expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
    // A call runs in a block after the latest one, whose time may follow the wall clock: allow a little slack.
    const latest = BigInt(await networkHelpers.time.latest());
    expect(await token.clock()).to.be.within(latest, latest + 60n);
  });
});
