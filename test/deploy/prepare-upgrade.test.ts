// `npm run prepare-upgrade`'s core (deploy/upgrade.ts) on the in-process chain with the governance system deployed by
// deploy/: the printed action is upgradeToAndCall(new implementation, call) on the proxy and passes through
// governance; an implementation that breaks a released storage layout is refused before anything is sent.
import { expect } from "chai";
import hre from "hardhat";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { upgrades } from "@openzeppelin/hardhat-upgrades";
import type { StorageLayout } from "@openzeppelin/upgrades-core";
import { LAYOUTS_DIR } from "../../deploy/storage-layouts.js";
import { describeUpgrade, parseUpgradeArgs, prepareUpgrade } from "../../deploy/upgrade.js";
import { GovernanceHelper } from "../../scripts/drivers/governance.js";
import { connection, deployGovernanceFixture, ethers, networkHelpers } from "../helpers/fixtures.js";

const ERC20_NAMESPACE = "erc7201:openzeppelin.storage.ERC20";

/** Release v2's layouts with a variable inserted first in CuriaToken's ERC20 namespace: every later one moved. */
function layoutsWithMovedTokenStorage(): string {
  const dir = mkdtempSync(join(tmpdir(), "curia-layouts-"));
  const v2 = JSON.parse(readFileSync(join(LAYOUTS_DIR, "v2.json"), "utf8")) as {
    contracts: Record<string, StorageLayout>;
  };
  const token = v2.contracts.CuriaToken!;
  const items = token.namespaces![ERC20_NAMESPACE]!;
  token.namespaces![ERC20_NAMESPACE] = [
    { ...items[0]!, label: "_released", type: "t_uint256", offset: 0, slot: "0" },
    ...items.map((item) => ({ ...item, slot: String(Number(item.slot) + 1) })),
  ];
  writeFileSync(join(dir, "v2.json"), JSON.stringify(v2));
  return dir;
}

describe("prepare-upgrade", function () {
  it("deploys the validated implementation and gives the proposal's upgradeToAndCall, which governance executes", async function () {
    const { alice, bob, token, governor, record } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const V2 = await ethers.getContractFactory("CuriaTokenV2");
    const call = V2.interface.encodeFunctionData("initializeV2");
    const prepared = await prepareUpgrade({
      hre,
      connection,
      record,
      contract: "CuriaToken",
      implementation: "CuriaTokenV2",
      call,
    });

    const tokenAddress = await token.getAddress();
    expect(prepared.proxy).to.equal(tokenAddress);
    expect(prepared.action.target).to.equal(tokenAddress);
    expect(prepared.action.value).to.equal("0");
    expect(prepared.checkedReleases).to.include("v2");
    expect(prepared.currentImplementation).to.equal(record.contracts.CuriaToken!.implementation);
    expect(prepared.newImplementation).to.not.equal(prepared.currentImplementation);
    expect(await ethers.provider.getCode(prepared.newImplementation)).to.not.equal("0x");
    // The calldata is the proxy's own upgradeToAndCall, with the new implementation and the reinitializer.
    const decoded = token.interface.parseTransaction({ data: prepared.action.calldata });
    expect(decoded?.name).to.equal("upgradeToAndCall");
    expect(decoded?.args[0]).to.equal(prepared.newImplementation);
    expect(decoded?.args[1]).to.equal(call);
    // What the script prints carries the same values, for the web app's "Upgrade a contract" form.
    const printed = describeUpgrade(prepared, "hardhat", 31337);
    for (const value of [prepared.newImplementation, prepared.action.calldata, call, "CuriaToken"]) {
      expect(printed).to.include(value);
    }

    // The action, proposed and executed as is, upgrades the token.
    const proposal = new GovernanceHelper(
      governor,
      networkHelpers,
      [{ target: prepared.action.target, data: prepared.action.calldata }],
      "Upgrade the token to v2 (prepared by prepare-upgrade)",
    );
    await proposal.passAndExecute(alice, [alice, bob]);
    const upgradesApi = await upgrades(hre, connection);
    expect(await upgradesApi.erc1967.getImplementationAddress(tokenAddress)).to.equal(prepared.newImplementation);
    expect(await (await ethers.getContractAt("CuriaTokenV2", tokenAddress)).tokenVersion()).to.equal(2n);
  });

  it("refuses an implementation that breaks a released storage layout, with the plugin's explanation, sending nothing", async function () {
    const { record } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const before = await ethers.provider.getBlockNumber();
    let refusal: Error | undefined;
    try {
      await prepareUpgrade({
        hre,
        connection,
        record,
        contract: "CuriaToken",
        implementation: "CuriaTokenV2",
        layoutsDir: layoutsWithMovedTokenStorage(),
      });
    } catch (error) {
      refusal = error as Error;
    }
    expect(refusal?.message).to.match(/^CuriaTokenV2 cannot replace CuriaToken: its storage layout breaks release v2/);
    expect(refusal?.message).to.include("_released");
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("refuses a contract without a proxy, one the record lacks, and bad command lines", async function () {
    const { record } = await networkHelpers.loadFixture(deployGovernanceFixture);
    const attempt = (contract: "CuriaLens" | "Court") =>
      prepareUpgrade({ hre, connection, record, contract }).then(
        () => "",
        (error: Error) => error.message,
      );
    expect(await attempt("CuriaLens")).to.equal("CuriaLens is not upgradeable: it is deployed without a proxy");
    expect(await attempt("Court")).to.match(/has no Court$/);
    expect(() => parseUpgradeArgs({})).to.throw(/--contract is required/);
    expect(() => parseUpgradeArgs({ contract: "CuriaLens" })).to.throw(/not an upgradeable contract/);
    expect(() => parseUpgradeArgs({ contract: "Court", call: "0xabc" })).to.throw(/not hex calldata/);
    expect(parseUpgradeArgs({ contract: "JurorPool", network: "sepolia" })).to.deep.equal({
      network: "sepolia",
      contract: "JurorPool",
      json: false,
    });
  });
});
