// CuriaGovernor: proposals, votes, queue and execute; the DAO's settings.
import { encodeFunctionData, keccak256, toHex, type Address, type Hex } from "viem";
import { VoteType, curiaGovernorAbi, type VoteTypeName } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { PROPOSAL_STATES, shortId, type ProposalState } from "../governance/states";

/** One call of a proposal. */
export interface ProposalCall {
  target: Address;
  value: bigint;
  calldata: Hex;
}

// The state names and id formatting live in a module without ABIs, so the proposal list loads without them.
export { PROPOSAL_STATES, shortId, type ProposalState };

/** GovernorCountingSimple's VoteType: what castVote takes as `support`. */
export const SUPPORT = VoteType;
export type Support = VoteTypeName;

export interface GovernorSettings {
  votingDelay: bigint;
  votingPeriod: bigint;
  proposalThreshold: bigint;
  quorumNumerator: bigint;
}

export async function readGovernorSettings(ctx: ChainContext): Promise<GovernorSettings> {
  const address = addressOf(ctx, "CuriaGovernor");
  const [votingDelay, votingPeriod, proposalThreshold, quorumNumerator] = await Promise.all([
    ctx.client.readContract({ address, abi: curiaGovernorAbi, functionName: "votingDelay" }),
    ctx.client.readContract({ address, abi: curiaGovernorAbi, functionName: "votingPeriod" }),
    ctx.client.readContract({ address, abi: curiaGovernorAbi, functionName: "proposalThreshold" }),
    ctx.client.readContract({ address, abi: curiaGovernorAbi, functionName: "quorumNumerator" }),
  ]);
  return { votingDelay, votingPeriod, proposalThreshold, quorumNumerator };
}

export async function readProposalState(ctx: ChainContext, proposalId: bigint): Promise<ProposalState> {
  const state = await ctx.client.readContract({
    address: addressOf(ctx, "CuriaGovernor"),
    abi: curiaGovernorAbi,
    functionName: "state",
    args: [proposalId],
  });
  return PROPOSAL_STATES[state] ?? "Pending";
}

export function readHasVoted(ctx: ChainContext, proposalId: bigint, account: Address): Promise<boolean> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaGovernor"),
    abi: curiaGovernorAbi,
    functionName: "hasVoted",
    args: [proposalId, account],
  });
}

/** Voting power of `account` at `timepoint` (the proposal's snapshot). */
export function readVotesAt(ctx: ChainContext, account: Address, timepoint: bigint): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaGovernor"),
    abi: curiaGovernorAbi,
    functionName: "getVotes",
    args: [account, timepoint],
  });
}

export function descriptionHash(description: string): Hex {
  return keccak256(toHex(description));
}

function split(calls: readonly ProposalCall[]): [Address[], bigint[], Hex[]] {
  return [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.calldata)];
}

export function hashProposal(ctx: ChainContext, calls: readonly ProposalCall[], description: string): Promise<bigint> {
  const [targets, values, calldatas] = split(calls);
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaGovernor"),
    abi: curiaGovernorAbi,
    functionName: "hashProposal",
    args: [targets, values, calldatas, descriptionHash(description)],
  });
}

export function populateProposeTx(ctx: ChainContext, calls: readonly ProposalCall[], description: string): TxRequest {
  const [targets, values, calldatas] = split(calls);
  const title = description.split("\n", 1)[0]?.replace(/^#\s*/, "") ?? "";
  return {
    to: addressOf(ctx, "CuriaGovernor"),
    data: encodeFunctionData({
      abi: curiaGovernorAbi,
      functionName: "propose",
      args: [targets, values, calldatas, description],
    }),
    description: `Propose “${title}”`,
  };
}

export function populateCastVoteTx(ctx: ChainContext, proposalId: bigint, support: Support, reason: string): TxRequest {
  const data = reason.trim()
    ? encodeFunctionData({
        abi: curiaGovernorAbi,
        functionName: "castVoteWithReason",
        args: [proposalId, SUPPORT[support], reason.trim()],
      })
    : encodeFunctionData({ abi: curiaGovernorAbi, functionName: "castVote", args: [proposalId, SUPPORT[support]] });
  return {
    to: addressOf(ctx, "CuriaGovernor"),
    data,
    description: `Vote ${support} on proposal ${shortId(proposalId)}`,
  };
}

/** A call that names a proposal by its actions and description hash: queue, execute or cancel. */
function proposalLifecycleTx(
  ctx: ChainContext,
  functionName: "queue" | "execute" | "cancel",
  calls: readonly ProposalCall[],
  description: string,
  label: string,
): TxRequest {
  const [targets, values, calldatas] = split(calls);
  // Only execute carries the actions' ether.
  const value = functionName === "execute" ? values.reduce((a, b) => a + b, 0n) : 0n;
  return {
    to: addressOf(ctx, "CuriaGovernor"),
    data: encodeFunctionData({
      abi: curiaGovernorAbi,
      functionName,
      args: [targets, values, calldatas, descriptionHash(description)],
    }),
    ...(value > 0n ? { value } : {}),
    description: label,
  };
}

export function populateQueueTx(ctx: ChainContext, calls: readonly ProposalCall[], description: string): TxRequest {
  return proposalLifecycleTx(ctx, "queue", calls, description, "Queue the proposal in the timelock");
}

export function populateExecuteTx(ctx: ChainContext, calls: readonly ProposalCall[], description: string): TxRequest {
  return proposalLifecycleTx(ctx, "execute", calls, description, "Execute the proposal");
}

export function populateCancelTx(ctx: ChainContext, calls: readonly ProposalCall[], description: string): TxRequest {
  return proposalLifecycleTx(ctx, "cancel", calls, description, "Cancel the proposal");
}

/** The proposal guardian, or the zero address once its term has ended (CuriaGovernor.proposalGuardian). */
export function readProposalGuardian(ctx: ChainContext): Promise<Address> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaGovernor"),
    abi: curiaGovernorAbi,
    functionName: "proposalGuardian",
  });
}
