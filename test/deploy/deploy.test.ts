import { expect } from "chai";
import hre from "hardhat";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_DEFAULTS } from "../../deploy/config.js";
import { deploymentFile } from "@curia/protocol/ethers";
import { deploymentKey, readDeployment, writeDeployment, type DeploymentRecord } from "../../deploy/deployments.js";
import { deployGovernance } from "../../deploy/governance.js";

describe("deploy/", function () {
  it("deploys, wires the roles, renounces the deployer and writes the deployment record", async function () {
    const connection = await hre.network.create();
    const { ethers } = connection;
    const dir = mkdtempSync(join(tmpdir(), "curia-deploy-"));
    const { record, timelock, governor, token } = await deployGovernance({
      hre,
      connection,
      config: LOCAL_DEFAULTS,
      persist: (r) => writeDeployment(r, dir),
    });
    const [deployer] = await ethers.getSigners();
    const governorAddress = await governor.getAddress();

    const onDisk = JSON.parse(readFileSync(join(dir, `${record.network}.json`), "utf8")) as DeploymentRecord;
    expect(onDisk.chainId).to.equal(31337);
    expect(onDisk.contracts.CuriaGovernor?.proxy).to.equal(governorAddress);
    for (const name of ["CuriaTimelock", "CuriaToken", "CuriaGovernor"] as const) {
      const entry = record.contracts[name]!;
      expect(await ethers.provider.getCode(entry.proxy)).to.not.equal("0x");
      expect(await ethers.provider.getCode(entry.implementation)).to.not.equal("0x");
      expect(entry.startBlock).to.be.greaterThan(0);
    }

    const [proposer, canceller, executor, admin] = await Promise.all([
      timelock.PROPOSER_ROLE(),
      timelock.CANCELLER_ROLE(),
      timelock.EXECUTOR_ROLE(),
      timelock.DEFAULT_ADMIN_ROLE(),
    ]);
    expect(await timelock.hasRole(proposer, governorAddress)).to.equal(true);
    expect(await timelock.hasRole(canceller, governorAddress)).to.equal(true);
    expect(await timelock.hasRole(executor, ethers.ZeroAddress)).to.equal(true, "anyone executes");
    expect(await timelock.hasRole(admin, deployer!.address)).to.equal(false, "deployer renounced");
    expect(await timelock.hasRole(proposer, deployer!.address)).to.equal(false);
    expect(await timelock.hasRole(admin, await timelock.getAddress())).to.equal(true, "self-administered");
    // Exactly one admin grant ever remained: the timelock's own (no RoleGranted to another admin is left unrevoked).
    const grants = await timelock.queryFilter(timelock.filters.RoleGranted(admin));
    const revokes = await timelock.queryFilter(timelock.filters.RoleRevoked(admin));
    expect(grants.length - revokes.length).to.equal(1);
    expect(await token.owner()).to.equal(await timelock.getAddress());
    expect(await token.balanceOf(await timelock.getAddress())).to.equal(LOCAL_DEFAULTS.allocations[0]!.amount);
    await connection.close();
  });

  it("is safe to re-run: a second run reuses every contract and sends no transaction", async function () {
    const connection = await hre.network.create();
    const { ethers } = connection;
    const dir = mkdtempSync(join(tmpdir(), "curia-deploy-"));
    const persist = (r: DeploymentRecord) => writeDeployment(r, dir);
    const first = await deployGovernance({ hre, connection, config: LOCAL_DEFAULTS, persist });
    const blockAfterFirst = await ethers.provider.getBlockNumber();
    const second = await deployGovernance({
      hre,
      connection,
      config: LOCAL_DEFAULTS,
      persist,
      previous: readDeployment(first.record.network, dir),
    });
    expect(second.record.contracts).to.deep.equal(first.record.contracts);
    expect(await ethers.provider.getBlockNumber()).to.equal(blockAfterFirst);
    await connection.close();
  });

  it("resumes an interrupted deployment and redeploys what a restarted chain lost", async function () {
    const connection = await hre.network.create();
    const { ethers } = connection;
    const dir = mkdtempSync(join(tmpdir(), "curia-deploy-"));
    const persist = (r: DeploymentRecord) => writeDeployment(r, dir);
    // The deployment dies right after the timelock was recorded (say the RPC dropped).
    const crash = new Error("RPC connection lost");
    const crashing = (r: DeploymentRecord) => {
      if (r.contracts.CuriaToken !== undefined) throw crash;
      persist(r);
    };
    const failure = await deployGovernance({ hre, connection, config: LOCAL_DEFAULTS, persist: crashing }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.equal(crash);
    const partial = readDeployment(connection.networkName, dir);
    expect(Object.keys(partial?.contracts ?? {})).to.deep.equal(["CuriaTimelock"]);

    // Re-running picks up where it stopped: same timelock, the deployer still its admin until wiring is done.
    const full = await deployGovernance({ hre, connection, config: LOCAL_DEFAULTS, persist, previous: partial });
    expect(full.record.contracts.CuriaTimelock).to.deep.equal(partial?.contracts.CuriaTimelock);
    expect(await full.timelock.hasRole(await full.timelock.PROPOSER_ROLE(), await full.governor.getAddress())).to.equal(
      true,
    );
    expect(full.record.wired).to.deep.equal({ governorRoles: true, deployerRenounced: true });

    // A record from a chain that was restarted (addresses without code) starts afresh instead of failing.
    const stale: DeploymentRecord = {
      ...full.record,
      contracts: {
        CuriaTimelock: {
          proxy: "0x000000000000000000000000000000000000dEaD",
          implementation: ethers.ZeroAddress,
          startBlock: 1,
        },
      },
    };
    const fresh = await deployGovernance({ hre, connection, config: LOCAL_DEFAULTS, previous: stale, persist });
    expect(fresh.record.contracts.CuriaTimelock?.proxy).to.not.equal("0x000000000000000000000000000000000000dEaD");
    expect(await fresh.token.owner()).to.equal(await fresh.timelock.getAddress());
    await connection.close();
  });

  it("keys a public chain's record by chain id, so a second chain or network name never overwrites it", function () {
    const dir = mkdtempSync(join(tmpdir(), "curia-deploy-"));
    const base = { deployer: "0x0000000000000000000000000000000000000001", updatedAt: "", contracts: {}, wired: {} };
    const sepolia: DeploymentRecord = { ...base, network: "sepolia", chainId: 11155111 };
    const baseSepolia: DeploymentRecord = { ...base, network: "remote", chainId: 84532 };
    expect(writeDeployment(sepolia, dir)).to.equal(join(dir, "11155111.json"));
    expect(writeDeployment(baseSepolia, dir)).to.equal(join(dir, "84532.json"));
    // The same chain reached through the generic `remote` network finds the record the named network wrote.
    expect(readDeployment(deploymentKey("remote", 11155111n), dir)?.network).to.equal("sepolia");
    // Development chains keep their network's name: npm start's deployments/localhost.json is unchanged.
    expect(deploymentKey("localhost", 31337)).to.equal("localhost");
    expect(deploymentKey("hardhat", 31337n)).to.equal("hardhat");
    expect(deploymentKey("localhost", 1337)).to.equal("localhost");
    // Programs given The Graph's name of the chain (the validator's --deployment sepolia) find the same file.
    const previous = process.env.CURIA_DEPLOYMENTS_DIR;
    process.env.CURIA_DEPLOYMENTS_DIR = dir;
    try {
      expect(deploymentFile("sepolia")).to.equal(join(dir, "11155111.json"));
      expect(deploymentFile("11155111")).to.equal(join(dir, "11155111.json"));
      expect(deploymentFile("localhost")).to.equal(join(dir, "localhost.json"));
    } finally {
      if (previous === undefined) delete process.env.CURIA_DEPLOYMENTS_DIR;
      else process.env.CURIA_DEPLOYMENTS_DIR = previous;
    }
  });
});
