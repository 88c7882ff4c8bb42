// The whole system with the ValidationManager, as the validation tests see it: the real deploy/ code, a fixed-seed
// randomness source, five validators staked in the validators' pool, one Active listing, and a ValidationHelper
// (scripts/drivers/validation.ts) to drive rounds.
import hre from "hardhat";
import { enumBigInts, ListingStatus as ProtocolListingStatus } from "@curia/protocol";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { deployValidationSystem, type ValidationSystem } from "../../scripts/drivers/validation.js";

export {
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

export async function deployValidationFixture(): Promise<ValidationFixture> {
  return deployValidationSystem(hre, validationConnection);
}
