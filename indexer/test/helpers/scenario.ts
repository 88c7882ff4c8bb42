// A governance story on a real chain, shared by the indexer's tests: one proposal passes and executes (changing the
// voting delay and the timelock delay, minting CUR), one is canceled by the guardian after the mint changed the
// supply its quorum is taken from, and holders re-delegate.
import { parseEther } from "ethers";
import { GovernanceHelper, VoteType } from "../../../scripts/drivers/governance.js";
import type { DeployedSystem } from "./governance.js";

export const MINTED = parseEther("1000");
export const NEW_VOTING_DELAY = 120n;
export const NEW_TIMELOCK_DELAY = 60n;

export interface Scenario {
  passed: GovernanceHelper;
  canceled: GovernanceHelper;
  passedId: bigint;
  canceledId: bigint;
}

export async function runGovernanceScenario(system: DeployedSystem): Promise<Scenario> {
  const { governor, token, timelock, alice, bob, carol, dave, deployer, connection } = system;
  const helpers = connection.networkHelpers;
  const actions = [
    {
      target: await governor.getAddress(),
      data: governor.interface.encodeFunctionData("setVotingDelay", [NEW_VOTING_DELAY]),
    },
    {
      target: await timelock.getAddress(),
      data: timelock.interface.encodeFunctionData("updateDelay", [NEW_TIMELOCK_DELAY]),
    },
    { target: await token.getAddress(), data: token.interface.encodeFunctionData("mint", [dave.address, MINTED]) },
  ];
  const passed = new GovernanceHelper(governor, helpers, actions, "# Tune delays and pay Dave\nShorter timelock.");
  await (await passed.propose(alice)).wait();
  await passed.waitForSnapshot();
  await (await passed.vote(alice, VoteType.For, "good for the DAO")).wait();
  await (await passed.vote(bob, VoteType.Against)).wait();
  await (await passed.voteBySig(carol, VoteType.Abstain, deployer)).wait();
  await passed.waitForDeadline();
  await (await passed.queue()).wait();
  await passed.waitForEta();

  // Created before the mint executes: its snapshot comes after it, so its quorum must include the minted CUR.
  const canceled = new GovernanceHelper(
    governor,
    helpers,
    [{ target: await token.getAddress(), data: token.interface.encodeFunctionData("transfer", [bob.address, 1n]) }],
    "Send Bob one wei",
  );
  await (await canceled.propose(bob)).wait();
  await (await passed.execute()).wait();
  await canceled.waitForSnapshot();
  await (await canceled.cancel(deployer)).wait();

  // Carol moves her votes to Alice; Dave (new holder) delegates to Bob.
  await (await token.connect(carol).delegate(alice.address)).wait();
  await (await token.connect(dave).delegate(bob.address)).wait();
  return { passed, canceled, passedId: await passed.proposalId(), canceledId: await canceled.proposalId() };
}
