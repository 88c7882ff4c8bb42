// Demo proposals for a local chain, so the governance screens open on a DAO with a history: one proposal executed (the
// protocol fee lowered), one queued and ready to execute (a treasury grant), one defeated (quorum not reached) and one
// still open for votes. The clock is fast-forwarded through voting periods and the timelock delay, so call this before
// any seed whose deadlines must still lie ahead, and `seedActiveProposal` last of all.
import { id, Interface, parseEther, type Signer } from "ethers";
import { VoteType } from "@curia/protocol";
import type { CuriaGovernor, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";
import { unlockedAccount } from "../lib/dev-accounts.js";

/** Accounts that propose and vote (see DEMO_HOLDERS: #1 votes with 15M CUR, #2 with 8M; quorum is 20M). */
export const DEMO_PROPOSER = 1;
export const DEMO_VOTER = 2;
/** Receives the queued treasury grant. */
export const DEMO_GRANTEE = 16;

export const DEMO_FEE_BPS = 400;
export const DEMO_GRANT = parseEther("250000");

export interface DemoProposal {
  description: string;
  targets: string[];
  values: bigint[];
  calldatas: string[];
}

export interface SeedProposalsOptions {
  governor: CuriaGovernor;
  token: CuriaToken;
  registry: ListingRegistry;
  accounts: readonly Signer[];
  /** Moves the chain's clock (the local node's evm_increaseTime + evm_mine). */
  increaseTime: (seconds: number) => Promise<void>;
  log?: (message: string) => void;
}

export interface SeededProposals {
  executed: bigint;
  queued: bigint;
  defeated: bigint;
}

const signer = (accounts: readonly Signer[], index: number): Signer =>
  unlockedAccount(accounts, index, "for the demo proposals");

async function proposalIdOf(governor: CuriaGovernor, proposal: DemoProposal): Promise<bigint> {
  return governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, id(proposal.description));
}

async function propose(governor: CuriaGovernor, proposer: Signer, proposal: DemoProposal): Promise<bigint> {
  const { targets, values, calldatas, description } = proposal;
  await (await governor.connect(proposer).propose(targets, values, calldatas, description)).wait();
  return proposalIdOf(governor, proposal);
}

async function vote(governor: CuriaGovernor, voter: Signer, proposalId: bigint, support: number, reason: string) {
  await (await governor.connect(voter).castVoteWithReason(proposalId, support, reason)).wait();
}

/** The three settled proposals of the demo DAO. A chain that already has proposals is left as it is. */
export async function seedProposals(options: SeedProposalsOptions): Promise<SeededProposals | undefined> {
  const { governor, token, registry, accounts, increaseTime } = options;
  const log = options.log ?? (() => {});
  if ((await governor.queryFilter(governor.filters.ProposalCreated())).length > 0) {
    log("the governor already has proposals: demo proposals skipped");
    return undefined;
  }
  const proposer = signer(accounts, DEMO_PROPOSER);
  const voter = signer(accounts, DEMO_VOTER);
  const registryAddress = await registry.getAddress();
  const tokenAddress = await token.getAddress();
  const grantee = await signer(accounts, DEMO_GRANTEE).getAddress();
  const currentFee = (await registry.parameters()).protocolFeeBps;

  const feeProposal: DemoProposal = {
    description: `# Lower the protocol fee to ${DEMO_FEE_BPS / 100}%\n\nThe fee was ${Number(currentFee) / 100}%. A lower fee brings more consumers while curators and validators still earn enough (see the incentive simulation).`,
    targets: [registryAddress],
    values: [0n],
    calldatas: [registry.interface.encodeFunctionData("setProtocolFee", [DEMO_FEE_BPS])],
  };
  const grantProposal: DemoProposal = {
    description: `# Fund a validator tooling grant\n\nSend 250,000 CUR from the treasury to ${grantee} to maintain the open-source validator and its GPU images.`,
    targets: [tokenAddress],
    values: [0n],
    calldatas: [
      new Interface(["function transfer(address,uint256)"]).encodeFunctionData("transfer", [grantee, DEMO_GRANT]),
    ],
  };
  const bondProposal: DemoProposal = {
    description:
      "# Raise the minimum listing bond to 50,000 CUR\n\nFewer spam listings, but a higher bar for new providers.",
    targets: [registryAddress],
    values: [0n],
    calldatas: [registry.interface.encodeFunctionData("setMinBond", [parseEther("50000")])],
  };

  const executed = await propose(governor, proposer, feeProposal);
  const queued = await propose(governor, proposer, grantProposal);
  const defeated = await propose(governor, proposer, bondProposal);
  log(`#${DEMO_PROPOSER} proposed: fee to ${DEMO_FEE_BPS} bps, a treasury grant, a higher bond`);

  await increaseTime(Number(await governor.votingDelay()) + 1);
  await vote(governor, proposer, executed, VoteType.For, "Fees are the highest among comparable marketplaces.");
  await vote(governor, voter, executed, VoteType.For, "Agreed; the simulation shows curators still profit.");
  await vote(governor, proposer, queued, VoteType.For, "Validators are the backbone of quality.");
  await vote(governor, voter, queued, VoteType.For, "");
  await vote(governor, proposer, defeated, VoteType.For, "Spam listings cost curators attention.");
  await vote(governor, voter, defeated, VoteType.Against, "Too high a bar for small providers.");
  log(`#${DEMO_PROPOSER} and #${DEMO_VOTER} voted`);

  await increaseTime(Number(await governor.votingPeriod()) + 1);
  for (const proposal of [feeProposal, grantProposal]) {
    await (
      await governor.queue(proposal.targets, proposal.values, proposal.calldatas, id(proposal.description))
    ).wait();
  }
  const timelockDelay = Number(await governor.proposalEta(executed)) - Number(await governor.clock());
  await increaseTime(Math.max(timelockDelay, 0) + 1);
  await (
    await governor.execute(feeProposal.targets, feeProposal.values, feeProposal.calldatas, id(feeProposal.description))
  ).wait();
  log(`fee proposal executed (protocol fee now ${DEMO_FEE_BPS} bps); grant proposal queued; bond proposal defeated`);
  return { executed, queued, defeated };
}

/** A proposal open for votes when the demo starts, with one vote in; call it after every seed that moves the clock. */
export async function seedActiveProposal(options: Omit<SeedProposalsOptions, "token">): Promise<bigint> {
  const { governor, registry, accounts, increaseTime } = options;
  const log = options.log ?? (() => {});
  const validatorShare = Number((await registry.parameters()).validatorShareBps);
  const curatorShare = 6_500;
  const treasuryShare = 10_000 - curatorShare - validatorShare;
  const proposal: DemoProposal = {
    description:
      `# Give curators a larger share of the fee\n\nCurators ${curatorShare / 100}%, treasury ${treasuryShare / 100}%, ` +
      `validators ${validatorShare / 100}%: quality-weighted curation is what keeps the catalogue honest.`,
    targets: [await registry.getAddress()],
    values: [0n],
    calldatas: [registry.interface.encodeFunctionData("setFeeShares", [treasuryShare, curatorShare, validatorShare])],
  };
  const proposalId = await propose(governor, signer(accounts, DEMO_VOTER), proposal);
  await increaseTime(Number(await governor.votingDelay()) + 1);
  await vote(governor, signer(accounts, DEMO_VOTER), proposalId, VoteType.For, "Curators carry the risk of slashing.");
  log(`#${DEMO_VOTER} proposed a larger curator share and voted for it; voting is open`);
  return proposalId;
}
