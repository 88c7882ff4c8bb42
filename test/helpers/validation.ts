// The whole system with the ValidationManager, as the validation tests see it: the real deploy/ code, a fixed-seed
// randomness source, five validators staked in the validators' pool, one Active listing, and a ValidationHelper
// (scripts/drivers/validation.ts) to drive rounds.
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { enumBigInts, ListingStatus as ProtocolListingStatus, voteCommitment } from "@curia/protocol";
import { hexlify, parseEther, randomBytes } from "ethers";
import type { Court, ValidationManager } from "../../types/ethers-contracts/index.js";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { deployValidationSystem, type ValidationSystem } from "../../scripts/drivers/validation.js";

export {
  LISTING_PRICE,
  Phase,
  SEED,
  VALIDATOR_STAKE,
  ValidationHelper,
  type ValidationSystem,
} from "../../scripts/drivers/validation.js";

export const validationConnection = await hre.network.create();
export const { ethers: vEthers, networkHelpers: vHelpers } = validationConnection;

export const VALIDATION = LOCAL_VALIDATION.params;
export const VALIDATOR_POOL = LOCAL_VALIDATION.validatorPool;
export const COURT = LOCAL_CONFIG.court.params;
export const CHALLENGES = LOCAL_CONFIG.court.challenges;
export const ListingStatus = enumBigInts(ProtocolListingStatus);

export type ValidationFixture = ValidationSystem;

/**
 * What one honest seat is credited when a round closes, as IValidationManager documents it: `reimbursedCalls` at the
 * round's price, within the cap (`rewardShareBps` of the pool after penalties, and a requested round's fee), then an
 * equal share of min(roundReward, what the reimbursements left of the cap). `reimbursed` is the part of `each` that
 * paid back calls.
 */
export function creditPerSeat(
  poolAfterPenalties: bigint,
  honestSeats: bigint,
  { pricePerCall, fee = 0n, params = VALIDATION }: { pricePerCall: bigint; fee?: bigint; params?: typeof VALIDATION },
): { each: bigint; reimbursed: bigint } {
  let cap = (poolAfterPenalties * BigInt(params.rewardShareBps)) / 10_000n;
  if (fee > 0n && cap > fee) cap = fee;
  let reimbursed = pricePerCall * BigInt(params.reimbursedCalls);
  if (reimbursed * honestSeats > cap) reimbursed = cap / honestSeats;
  let budget = cap - reimbursed * honestSeats;
  if (budget > params.roundReward) budget = params.roundReward;
  return { each: budget / honestSeats + reimbursed, reimbursed };
}

export async function deployValidationFixture(): Promise<ValidationFixture> {
  return deployValidationSystem(hre, validationConnection);
}

/** Moves the validation network's clock to `timestamp`, unless it is already there or past it. */
export async function vIncreaseTo(timestamp: bigint): Promise<void> {
  if (timestamp > BigInt(await vHelpers.time.latest())) await vHelpers.time.increaseTo(timestamp);
}

/**
 * The fixture's single juror takes every seat of the dispute's current round and votes `choice`. The clock is left
 * just after the reveal, or at the round's reveal end or appeal end when the test goes on from there.
 */
export async function juryVotes(
  court: Court,
  juror: HardhatEthersSigner,
  disputeId: bigint,
  choice: number,
  until: "revealed" | "revealEnd" | "appealEnd" = "revealed",
) {
  const round = BigInt((await court.getDispute(disputeId)).rounds) - 1n;
  await vHelpers.mine(2);
  await court.draw(disputeId, 64n);
  const salt = hexlify(randomBytes(32));
  await court.connect(juror).commit(disputeId, voteCommitment(choice, salt, juror.address, disputeId, round));
  const r = await court.getRound(disputeId, round);
  await vIncreaseTo(r.commitEnd);
  await court.connect(juror).reveal(disputeId, choice, salt);
  if (until !== "revealed") await vIncreaseTo(until === "revealEnd" ? r.revealEnd : r.appealEnd);
  return r;
}

/** The validation fixture with a reward pool able to pay an automatic dispute, and a curator (5,000 CUR, warmed up) on its listing. */
export async function deployCuratedValidationFixture() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  await f.token.connect(f.deployer).transfer(await f.validation.getAddress(), parseEther("3000"));
  const [curationAddress] = await f.registry.addresses();
  const curationPool = await vEthers.getContractAt("CurationPool", curationAddress);
  const curator = f.spares[9]!;
  await f.token.connect(curator).approve(curationAddress, CURATED_STAKE);
  await curationPool.connect(curator).stake(f.listingId, CURATED_STAKE);
  await vHelpers.time.increase(LOCAL_CONFIG.marketplace.curation.warmupPeriod);
  return { ...f, curationPool, curator };
}
export const CURATED_STAKE = parseEther("5000");

/** A writable copy of the manager's parameters struct as the contract returns it (to change a field and set it). */
export function validationParamsOf(p: Awaited<ReturnType<ValidationManager["parameters"]>>) {
  return {
    requestFee: p.requestFee,
    roundReward: p.roundReward,
    roundPeriod: p.roundPeriod,
    commitPeriod: p.commitPeriod,
    revealPeriod: p.revealPeriod,
    committeeSize: p.committeeSize,
    quorum: p.quorum,
    toleranceBps: p.toleranceBps,
    penaltyBps: p.penaltyBps,
    rewardShareBps: p.rewardShareBps,
    minQualityBps: p.minQualityBps,
    drawPeriod: p.drawPeriod,
    reimbursedCalls: p.reimbursedCalls,
  };
}
