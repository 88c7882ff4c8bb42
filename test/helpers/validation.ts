// The whole system with the ValidationManager, as the validation tests see it: the real deploy/ code, a fixed-seed
// randomness source, five validators staked in the validators' pool, one Active listing, and a ValidationHelper
// (scripts/drivers/validation.ts) to drive rounds.
import hre from "hardhat";
import { enumBigInts, ListingStatus as ProtocolListingStatus } from "@curia/protocol";
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
