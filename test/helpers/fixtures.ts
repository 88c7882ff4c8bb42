// The deployed governance system as tests see it: the real deploy/ code on Hardhat's in-process chain, then
// delegated holders. Quorum is 4% of 500M CUR = 20M: alice (17M) alone cannot reach it, alice + bob (23M) can.
import hre from "hardhat";
import { parseEther } from "ethers";
import { LOCAL_DEFAULTS } from "../../deploy/config.js";
import { deployGovernance, governorInitSettings } from "../../deploy/governance.js";

export const connection = await hre.network.create();
export const { ethers, networkHelpers } = connection;

export const HOLDINGS = {
  alice: parseEther("17000000"),
  bob: parseEther("6000000"),
  carol: parseEther("4000000"),
} as const;

/** The Governor's initial settings as the local config has them, no guardian; `overrides` replace fields. */
export function governorSettings(overrides: Record<string, unknown> = {}) {
  return { ...governorInitSettings(LOCAL_DEFAULTS.governor, ethers.ZeroAddress, 0), ...overrides };
}

export async function deployGovernanceFixture() {
  const [deployer, alice, bob, carol, dave, guardianless] = await ethers.getSigners();
  if (deployer === undefined || alice === undefined || bob === undefined || carol === undefined || dave === undefined) {
    throw new Error("the in-process chain needs at least 5 accounts");
  }
  const { token, governor, timelock, record } = await deployGovernance({ hre, connection, config: LOCAL_DEFAULTS });
  for (const [holder, amount] of [
    [alice, HOLDINGS.alice],
    [bob, HOLDINGS.bob],
    [carol, HOLDINGS.carol],
  ] as const) {
    await token.connect(deployer).transfer(holder.address, amount);
    await token.connect(holder).delegate(holder.address);
  }
  await networkHelpers.mine();
  return { deployer, alice, bob, carol, dave, guardianless, token, governor, timelock, record };
}
