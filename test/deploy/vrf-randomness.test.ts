// On any chain but a local one the court and the validation rounds must draw from a Chainlink VRF: a blockhash can be
// ground by the block's proposer. The deployment deploys VrfRandomness from the deploy config, makes the Court and the
// ValidationManager its requesters and hands it to the timelock; without a VRF config it stops and says what to set.
import { expect } from "chai";
import hre from "hardhat";
import { keccak256 } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { LOCAL_COURT, type VrfConfig } from "../../deploy/court-config.js";
import { deployCuria } from "../../deploy/system.js";

const SEPOLIA = 11_155_111;

describe("deploy/: randomness on a public chain", function () {
  it("deploys VrfRandomness, serving only the Court and the ValidationManager, owned by the timelock", async function () {
    const connection = await hre.network.create({ override: { chainId: SEPOLIA } });
    const coordinator = await connection.ethers.deployContract("VrfCoordinatorMock");
    const vrf: VrfConfig = {
      coordinator: await coordinator.getAddress(),
      keyHash: keccak256("0x01"),
      subscriptionId: 42n,
      requestConfirmations: 3,
      callbackGasLimit: 500_000,
      nativePayment: false,
    };
    const system = await deployCuria({
      hre,
      connection,
      config: { ...LOCAL_CONFIG, court: { ...LOCAL_COURT, vrf } },
      log: () => undefined,
    });
    const source = await system.randomness.getAddress();
    const adapter = await connection.ethers.getContractAt("VrfRandomness", source);
    expect(await adapter.coordinator()).to.equal(vrf.coordinator);
    expect(await adapter.keyHash()).to.equal(vrf.keyHash);
    expect(await adapter.subscriptionId()).to.equal(42n);
    const [court, validation, timelock] = await Promise.all([
      system.court.getAddress(),
      system.validation.getAddress(),
      system.timelock.getAddress(),
    ]);
    expect((await system.court.addresses())[2]).to.equal(source);
    expect((await system.validation.addresses())[2]).to.equal(source);
    expect(await adapter.isRequester(court)).to.equal(true);
    expect(await adapter.isRequester(validation)).to.equal(true);
    const [deployer] = await connection.ethers.getSigners();
    expect(await adapter.isRequester(deployer!.address)).to.equal(false);
    expect(await adapter.owner(), "only a proposal can change who draws").to.equal(timelock);
    expect(system.record.contracts.CourtRandomness?.proxy).to.equal(source);
  });

  it("stops with what to set when a public chain has no VRF config", async function () {
    const connection = await hre.network.create({ override: { chainId: SEPOLIA } });
    let message = "";
    try {
      await deployCuria({ hre, connection, config: LOCAL_CONFIG, log: () => undefined });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/chain 11155111 is not a local chain/);
    expect(message).to.match(/court\.vrf/);
    expect(message).to.match(/CURIA_DEPLOY_CONFIG/);
  });
});
