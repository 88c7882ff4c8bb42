// Mapping tests: the built subgraph WASM runs on the events of real transactions on a Hardhat chain, and the
// entities it writes are compared with what the contracts themselves report.
import { expect } from "chai";
import { getAddress, id as keccakText } from "ethers";
import type { IndexerApp } from "../src/app.js";
import type { EntityData, StoreValue } from "../src/values.js";
import { sharedHardhatNode, temporaryDirectory, type LocalChain } from "./helpers/chain.js";
import { deploySystem, HOLDINGS, type DeployedSystem } from "./helpers/governance.js";
import {
  MINTED,
  NEW_TIMELOCK_DELAY,
  NEW_VOTING_DELAY,
  runGovernanceScenario,
  type Scenario,
} from "./helpers/scenario.js";
import { syncedIndexer } from "./helpers/indexer.js";

function field(data: EntityData | undefined, name: string): unknown {
  if (data === undefined) throw new Error("entity not found");
  const value: StoreValue | undefined = data.get(name);
  if (value === undefined || value.kind === "Null") return null;
  if (value.kind === "Array") return value.value.map((v) => (v.kind === "Null" ? null : v.value));
  return value.value;
}

describe("subgraph mappings on real chain events", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: DeployedSystem;
  let scenario: Scenario;
  let app: IndexerApp;
  const lower = (address: string) => address.toLowerCase();

  before(async () => {
    chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-mappings-");
    system = await deploySystem(chain.url, dir.path);
    scenario = await runGovernanceScenario(system);
    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
  });

  after(async () => {
    await app?.close();
    dir?.remove();
  });

  const load = (type: string, id: string) => app.store.load(type, id);

  describe("proposals", () => {
    it("records the executed proposal with its timeline, status and tallies equal to the Governor's", async () => {
      const proposal = load("Proposal", scenario.passedId.toString());
      const [against, forVotes, abstain] = await system.governor.proposalVotes(scenario.passedId);
      expect(field(proposal, "status")).to.equal("Executed");
      expect(field(proposal, "proposer")).to.equal(lower(system.alice.address));
      expect(field(proposal, "forVotes")).to.equal(forVotes);
      expect(field(proposal, "againstVotes")).to.equal(against);
      expect(field(proposal, "abstainVotes")).to.equal(abstain);
      expect(forVotes).to.equal(HOLDINGS.alice);
      expect(field(proposal, "voteCount")).to.equal(3);
      expect(field(proposal, "voteStart")).to.equal(await system.governor.proposalSnapshot(scenario.passedId));
      expect(field(proposal, "voteEnd")).to.equal(await system.governor.proposalDeadline(scenario.passedId));
      expect(field(proposal, "eta")).to.equal(await system.governor.proposalEta(scenario.passedId));
      for (const stamp of ["createdAt", "queuedAt", "executedAt"]) expect(field(proposal, stamp)).to.be.a("bigint");
      expect(field(proposal, "canceledAt")).to.equal(null);
      expect(field(proposal, "description")).to.equal(scenario.passed.description);
    });

    it("takes the quorum at the snapshot exactly as the Governor does, including a mint before the snapshot", async () => {
      for (const proposalId of [scenario.passedId, scenario.canceledId]) {
        const proposal = load("Proposal", proposalId.toString());
        const snapshot = await system.governor.proposalSnapshot(proposalId);
        expect(field(proposal, "quorum")).to.equal(await system.governor.quorum(snapshot));
        expect(field(proposal, "totalSupplyAtSnapshot")).to.equal(await system.token.getPastTotalSupply(snapshot));
      }
      const canceled = load("Proposal", scenario.canceledId.toString());
      expect(field(canceled, "totalSupplyAtSnapshot")).to.equal(await system.token.totalSupply());
      expect(field(canceled, "status")).to.equal("Canceled");
      expect(field(canceled, "canceledTransaction")).to.be.a("string");
    });

    it("decodes known actions into signatures and arguments", () => {
      const id = scenario.passedId.toString();
      const actions = [0, 1, 2].map((i) => load("ProposalAction", `${id}-${i}`));
      expect(actions.map((a) => field(a, "functionSignature"))).to.deep.equal([
        "setVotingDelay(uint48)",
        "updateDelay(uint256)",
        "mint(address,uint256)",
      ]);
      expect(field(actions[0], "arguments")).to.deep.equal([NEW_VOTING_DELAY.toString()]);
      expect(field(actions[2], "arguments")).to.deep.equal([lower(system.dave.address), MINTED.toString()]);
      expect(field(actions[0], "selector")).to.equal(keccakText("setVotingDelay(uint48)").slice(0, 10));
      expect(field(actions[1], "target")).to.equal(lower(system.record.contracts.CuriaTimelock!.proxy));
    });

    it("links the proposal's timelock operation and marks it executed", async () => {
      const operations = app.store.loadWhere("TimelockOperation", "proposal", scenario.passedId.toString());
      expect(operations).to.have.length(1);
      expect(field(operations[0], "status")).to.equal("Executed");
      expect(field(operations[0], "callCount")).to.equal(3);
      const operationId = await system.timelock.hashOperationBatch(
        scenario.passed.targets,
        scenario.passed.values,
        scenario.passed.calldatas,
        "0x" + "00".repeat(32),
        // GovernorTimelockControl's salt: the governor address xor the description hash.
        "0x" +
          ((BigInt(await system.governor.getAddress()) * 2n ** 96n) ^ BigInt(scenario.passed.descriptionHash))
            .toString(16)
            .padStart(64, "0"),
      );
      expect(field(operations[0], "id")).to.equal(operationId);
    });
  });

  describe("votes and delegates", () => {
    it("records each vote immutably with support, weight and reason", async () => {
      const proposalId = scenario.passedId.toString();
      const alice = load("Vote", `${proposalId}-${lower(system.alice.address)}`);
      const bob = load("Vote", `${proposalId}-${lower(system.bob.address)}`);
      const carol = load("Vote", `${proposalId}-${lower(system.carol.address)}`);
      expect([field(alice, "support"), field(bob, "support"), field(carol, "support")]).to.deep.equal([
        "For",
        "Against",
        "Abstain",
      ]);
      expect(field(alice, "reason")).to.equal("good for the DAO");
      expect(field(carol, "weight")).to.equal(HOLDINGS.carol);
      expect(field(alice, "params")).to.equal("0x");
      expect(app.store.schema.entities.get("Vote")!.immutable).to.equal(true);
    });

    it("tracks voting power and delegators like ERC20Votes", async () => {
      for (const signer of [system.alice, system.bob, system.carol]) {
        const delegate = load("Delegate", lower(signer.address));
        expect(field(delegate, "votingPower"), signer.address).to.equal(await system.token.getVotes(signer.address));
      }
      expect(field(load("Delegate", lower(system.alice.address)), "delegatorCount")).to.equal(2); // alice, carol
      expect(field(load("Delegate", lower(system.carol.address)), "delegatorCount")).to.equal(0);
      expect(field(load("Account", lower(system.carol.address)), "delegate")).to.equal(lower(system.alice.address));
      expect(field(load("Account", lower(system.dave.address)), "delegate")).to.equal(lower(system.bob.address));
      const changes = app.store
        .loadWhere("DelegationChange", "delegator", lower(system.carol.address))
        .sort((a, b) => Number((field(a, "blockNumber") as bigint) - (field(b, "blockNumber") as bigint)));
      expect(changes.map((c) => [field(c, "fromDelegate"), field(c, "toDelegate")])).to.deep.equal([
        [null, lower(system.carol.address)],
        [lower(system.carol.address), lower(system.alice.address)],
      ]);
    });

    it("keeps balances and the supply equal to the token's", async () => {
      for (const signer of [system.deployer, system.alice, system.bob, system.carol, system.dave]) {
        expect(field(load("Account", lower(signer.address)), "balance")).to.equal(
          await system.token.balanceOf(signer.address),
        );
      }
      const protocol = load("Protocol", "curia");
      expect(field(protocol, "totalSupply")).to.equal(await system.token.totalSupply());
      expect(field(protocol, "proposalCount")).to.equal(2);
      expect(field(protocol, "voteCount")).to.equal(3);
    });
  });

  describe("governed settings", () => {
    it("records every setting change with old and new value, and the current settings", async () => {
      const governor = lower(await system.governor.getAddress());
      const changes = app.store.loadWhere("ParameterChange", "contract", governor);
      const votingDelay = changes.filter((c) => field(c, "parameter") === "VotingDelay");
      expect(votingDelay.map((c) => [field(c, "oldValue"), field(c, "newValue")])).to.have.deep.members([
        ["0", "60"],
        ["60", NEW_VOTING_DELAY.toString()],
      ]);
      const executedTx = field(load("Proposal", scenario.passedId.toString()), "executedTransaction");
      const byProposal = votingDelay.find((c) => field(c, "newValue") === NEW_VOTING_DELAY.toString());
      expect(field(byProposal, "transaction")).to.equal(executedTx);
      const protocol = load("Protocol", "curia");
      expect(field(protocol, "votingDelay")).to.equal(await system.governor.votingDelay());
      expect(field(protocol, "votingPeriod")).to.equal(await system.governor.votingPeriod());
      expect(field(protocol, "proposalThreshold")).to.equal(await system.governor.proposalThreshold());
      expect(field(protocol, "quorumNumerator")).to.equal(await system.governor["quorumNumerator()"]());
      expect(field(protocol, "timelockMinDelay")).to.equal(NEW_TIMELOCK_DELAY);
      expect(field(protocol, "proposalGuardianTermEnd")).to.equal(await system.governor.proposalGuardianTermEnd());
      expect(getAddress(String(field(protocol, "proposalGuardian")))).to.equal(
        await system.governor.proposalGuardian(),
      );
    });

    it("records proxy implementations and the token's owner", async () => {
      for (const name of ["CuriaGovernor", "CuriaToken", "CuriaTimelock"] as const) {
        const entry = system.record.contracts[name]!;
        const governed = load("GovernedContract", lower(entry.proxy));
        expect(field(governed, "kind")).to.equal(name);
        expect(field(governed, "implementation")).to.equal(lower(entry.implementation));
      }
      const token = load("GovernedContract", lower(system.record.contracts.CuriaToken!.proxy));
      expect(field(token, "owner")).to.equal(lower(system.record.contracts.CuriaTimelock!.proxy));
    });

    it("counts the day's activity", () => {
      const stats = app.store.dumpAll(false).DailyStat!;
      const sum = (key: string) => stats.reduce((acc, s) => acc + Number(s[key]), 0);
      expect(sum("proposalsCreated")).to.equal(2);
      expect(sum("votesCast")).to.equal(3);
      expect(sum("delegationChanges")).to.equal(5);
    });
  });
});
