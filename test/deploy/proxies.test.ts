// Every upgradeable contract of a deployment (issue 17), attacked as an outsider would: initialize the live proxy a
// second time (taking its roles), initialize the implementation behind it (a UUPS implementation someone initializes
// could be upgraded or self-destructed through), or upgrade the proxy without the DAO. Each is refused for every proxy
// the deployment record lists, so a contract added later is covered without a new test.
import { expect } from "chai";
import { ZeroAddress, type ParamType } from "ethers";
import hre from "hardhat";
import { CONTRACTS_RELEASE } from "@curia/protocol";
import type { ContractName, DeploymentRecord } from "../../deploy/deployments.js";

/** The Solidity contract behind each recorded name (both stake pools are StakePool). */
const CONTRACT_OF: Partial<Record<ContractName, string>> = { JurorPool: "StakePool", ValidatorPool: "StakePool" };
/** EIP-1967's implementation slot. */
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

/** A valid value of each ABI type (zeros, empty strings and arrays), so the call reaches the initializer's check. */
function sampleArgument(type: ParamType): unknown {
  if (type.baseType === "tuple") return type.components!.map(sampleArgument);
  if (type.baseType === "array") return [];
  if (type.baseType === "address") return ZeroAddress;
  if (type.baseType === "bool") return false;
  if (type.baseType === "string") return "";
  if (type.baseType === "bytes") return "0x";
  if (type.baseType.startsWith("bytes")) return `0x${"00".repeat(Number(type.baseType.slice(5)))}`;
  return 0n;
}

describe("Upgradeable contracts: no second initialization, no upgrade but the DAO's", function () {
  it("refuses to re-initialize every proxy and its implementation, and every upgrade by anyone but the timelock", async function () {
    const connection = await hre.network.create();
    const { ethers } = connection;
    const { LOCAL_CONFIG } = await import("../../deploy/config.js");
    const { deployCuria } = await import("../../deploy/system.js");
    let record: DeploymentRecord | undefined;
    await deployCuria({
      hre,
      connection,
      config: LOCAL_CONFIG,
      persist: (r) => (record = structuredClone(r)),
      log: () => {},
    });
    const [, outsider] = await ethers.getSigners();
    const proxies = Object.entries(record!.contracts).filter(([, entry]) => entry.implementation !== entry.proxy);
    expect(proxies.map(([name]) => name)).to.include.members([
      "CuriaTimelock",
      "CuriaToken",
      "CuriaGovernor",
      "ListingRegistry",
      "CurationPool",
      "Court",
      "ListingChallenges",
      "JurorPool",
      "ValidatorPool",
      "ValidationManager",
    ]);
    for (const [name, entry] of proxies) {
      const contract = CONTRACT_OF[name as ContractName] ?? name;
      const factory = await ethers.getContractFactory(contract);
      const initialize = factory.interface.getFunction("initialize");
      expect(initialize, `${name} has an initializer`).to.not.equal(null);
      const args = initialize!.inputs.map(sampleArgument);
      for (const [where, address] of [
        ["proxy", entry.proxy],
        ["implementation", entry.implementation],
      ] as const) {
        const target = factory.attach(address).connect(outsider!) as unknown as {
          initialize: (...a: unknown[]) => Promise<unknown>;
        };
        await expect(target.initialize(...args), `${name} ${where}: initialize`).to.be.revertedWithCustomError(
          factory,
          "InvalidInitialization",
        );
      }
      // An upgrade by anyone but the timelock is refused, and the proxy keeps its implementation.
      const replacement = await ethers.deployContract(contract);
      const upgradeable = factory.attach(entry.proxy).connect(outsider!) as unknown as {
        upgradeToAndCall: (implementation: string, data: string) => Promise<unknown>;
      };
      await expect(upgradeable.upgradeToAndCall(await replacement.getAddress(), "0x"), `${name}: upgrade`).to.be.revert(
        ethers,
      );
      const slot = await ethers.provider.getStorage(entry.proxy, IMPLEMENTATION_SLOT);
      expect(ethers.getAddress(`0x${slot.slice(26)}`), `${name} keeps its implementation`).to.equal(
        ethers.getAddress(entry.implementation),
      );
      // Every proxy says which release it runs (the Governor's version() is its EIP-712 domain version).
      const versioned = factory.attach(entry.proxy) as unknown as { version: () => Promise<string> };
      expect(await versioned.version(), `${name}: version()`).to.equal(
        name === "CuriaGovernor" ? "1" : CONTRACTS_RELEASE,
      );
      // The implementation itself cannot be upgraded through (UUPS: only through a proxy).
      const direct = factory.attach(entry.implementation).connect(outsider!) as unknown as typeof upgradeable;
      await expect(direct.upgradeToAndCall(await replacement.getAddress(), "0x")).to.be.revertedWithCustomError(
        factory,
        "UUPSUnauthorizedCallContext",
      );
    }
    await connection.close();
  });
});
