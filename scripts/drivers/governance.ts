// GovernanceHelper: drives a proposal through its life like a script (after OpenZeppelin's test/helpers/governance.js):
// propose → waitForSnapshot → vote → waitForDeadline → queue → waitForEta → execute.
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractRunner, Signer } from "ethers";
import { id, Signature, solidityPacked } from "ethers";
import type { CuriaGovernor } from "../../types/ethers-contracts/index.js";

export const VoteType = { Against: 0, For: 1, Abstain: 2 } as const;
export type Support = (typeof VoteType)[keyof typeof VoteType];

/** The Governor's ProposalState enum, in order. */
export const ProposalState = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
} as const;

export interface Action {
  target: string;
  value?: bigint;
  data: string;
}

/** The subset of GovernorUpgradeable the helper needs; CuriaGovernor and the reference Governor both fit it. */
type Governor = Pick<
  CuriaGovernor,
  | "propose"
  | "castVote"
  | "castVoteWithReason"
  | "castVoteBySig"
  | "queue"
  | "execute"
  | "cancel"
  | "hashProposal"
  | "proposalSnapshot"
  | "proposalDeadline"
  | "proposalEta"
  | "state"
  | "nonces"
  | "name"
  | "version"
  | "getAddress"
  | "connect"
>;

export class GovernanceHelper {
  readonly targets: string[];
  readonly values: bigint[];
  readonly calldatas: string[];
  readonly description: string;

  constructor(
    private readonly governor: Governor,
    private readonly helpers: NetworkHelpers,
    actions: Action[],
    description: string,
  ) {
    this.targets = actions.map((a) => a.target);
    this.values = actions.map((a) => a.value ?? 0n);
    this.calldatas = actions.map((a) => a.data);
    this.description = description;
  }

  /** Appends OpenZeppelin's `#proposer=0x…` suffix so nobody else can submit this exact proposal first. */
  static protectedDescription(text: string, proposer: string): string {
    return `${text}#proposer=${proposer}`;
  }

  get descriptionHash(): string {
    return id(this.description);
  }

  async proposalId(): Promise<bigint> {
    return this.governor.hashProposal(this.targets, this.values, this.calldatas, this.descriptionHash);
  }

  private as(runner: ContractRunner | undefined): Governor {
    return (runner === undefined ? this.governor : this.governor.connect(runner)) as Governor;
  }

  async propose(proposer?: Signer) {
    return this.as(proposer).propose(this.targets, this.values, this.calldatas, this.description);
  }

  async waitForSnapshot(offset = 0n): Promise<void> {
    const snapshot = await this.governor.proposalSnapshot(await this.proposalId());
    await this.helpers.time.increaseTo(snapshot + 1n + offset);
  }

  async vote(voter: Signer, support: Support, reason?: string) {
    const id = await this.proposalId();
    const g = this.as(voter);
    return reason === undefined ? g.castVote(id, support) : g.castVoteWithReason(id, support, reason);
  }

  /** Signs an EIP-712 Ballot as `voter` and submits it from `relayer`, who pays the gas. */
  async voteBySig(voter: Signer, support: Support, relayer: Signer) {
    const id = await this.proposalId();
    const voterAddress = await voter.getAddress();
    const network = await relayer.provider?.getNetwork();
    if (network === undefined) throw new Error("relayer has no provider");
    const domain = {
      name: await this.governor.name(),
      version: await this.governor.version(),
      chainId: network.chainId,
      verifyingContract: await this.governor.getAddress(),
    };
    const types = {
      Ballot: [
        { name: "proposalId", type: "uint256" },
        { name: "support", type: "uint8" },
        { name: "voter", type: "address" },
        { name: "nonce", type: "uint256" },
      ],
    };
    const nonce = await this.governor.nonces(voterAddress);
    const signature = await voter.signTypedData(domain, types, { proposalId: id, support, voter: voterAddress, nonce });
    return this.as(relayer).castVoteBySig(id, support, voterAddress, Signature.from(signature).serialized);
  }

  async waitForDeadline(offset = 0n): Promise<void> {
    const deadline = await this.governor.proposalDeadline(await this.proposalId());
    await this.helpers.time.increaseTo(deadline + 1n + offset);
  }

  async queue(caller?: Signer) {
    return this.as(caller).queue(this.targets, this.values, this.calldatas, this.descriptionHash);
  }

  async waitForEta(): Promise<void> {
    const eta = await this.governor.proposalEta(await this.proposalId());
    await this.helpers.time.increaseTo(eta);
  }

  async execute(caller?: Signer) {
    return this.as(caller).execute(this.targets, this.values, this.calldatas, this.descriptionHash);
  }

  async cancel(caller: Signer) {
    return this.as(caller).cancel(this.targets, this.values, this.calldatas, this.descriptionHash);
  }

  /** The proposal's snapshot, deadline (with any late-quorum extension) and eta (zero until queued). */
  async timepoints(): Promise<{ snapshot: bigint; deadline: bigint; eta: bigint }> {
    const id = await this.proposalId();
    const [snapshot, deadline, eta] = await Promise.all([
      this.governor.proposalSnapshot(id),
      this.governor.proposalDeadline(id),
      this.governor.proposalEta(id),
    ]);
    return { snapshot, deadline, eta };
  }

  async state(): Promise<bigint> {
    return this.governor.state(await this.proposalId());
  }

  /** The happy path up to execution: proposed, the given voters all voting For, queued, and its ETA reached. */
  async passAndQueue(proposer: Signer, voters: Signer[]): Promise<void> {
    await this.propose(proposer);
    await this.waitForSnapshot();
    for (const voter of voters) await this.vote(voter, VoteType.For);
    await this.waitForDeadline();
    await this.queue();
    await this.waitForEta();
  }

  /** Runs the whole happy path with the given voters all voting For. */
  async passAndExecute(proposer: Signer, voters: Signer[]): Promise<void> {
    await this.passAndQueue(proposer, voters);
    await this.execute();
  }
}

/** A bitmap of proposal states, as in the Governor's GovernorUnexpectedProposalState error. */
export function stateBitmap(...states: bigint[]): string {
  const bits = states.reduce((acc, s) => acc | (1n << s), 0n);
  return solidityPacked(["bytes32"], ["0x" + bits.toString(16).padStart(64, "0")]);
}
