// The whole system with the ValidationManager, as the validation tests see it: the real deploy/ code, a fixed-seed
// randomness source, five validators staked in the validators' pool, one Active listing, and a ValidationHelper
// (scripts/drivers/validation.ts) to drive rounds.
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { ValidationHelper } from "../../scripts/drivers/validation.js";
import type {
  Court,
  CuriaToken,
  FixedRandomness,
  ListingChallenges,
  ListingRegistry,
  StakePool,
  ValidationManager,
} from "../../types/ethers-contracts/index.js";

export { Phase, scoreCommitment, ValidationHelper } from "../../scripts/drivers/validation.js";

export const validationConnection = await hre.network.create();
export const { ethers: vEthers, networkHelpers: vHelpers } = validationConnection;

export const VALIDATION = LOCAL_VALIDATION.params;
export const VALIDATOR_POOL = LOCAL_VALIDATION.validatorPool;
export const COURT = LOCAL_CONFIG.court.params;
export const CHALLENGES = LOCAL_CONFIG.court.challenges;
export const VALIDATOR_STAKE = parseEther("1000");
export const SEED = 20_240_601n;
export const ListingStatus = {
  None: 0n,
  Pending: 1n,
  Active: 2n,
  Challenged: 3n,
  Delisted: 4n,
  Withdrawn: 5n,
} as const;

export interface ValidationFixture {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  juror: HardhatEthersSigner;
  /** Registered, VALIDATOR_STAKE each: no more than a committee, so every round seats all of them. */
  validators: HardhatEthersSigner[];
  /** Funded and approved, not registered. */
  spares: HardhatEthersSigner[];
  asTimelock: HardhatEthersSigner;
  token: CuriaToken;
  registry: ListingRegistry;
  court: Court;
  jurorPool: StakePool;
  challenges: ListingChallenges;
  validation: ValidationManager;
  validatorPool: StakePool;
  randomness: FixedRandomness;
  treasury: string;
  listingId: bigint;
  helper: ValidationHelper;
}

/**
 * deployCuria on a fresh chain, then a fixed-seed randomness source (reproducible draws), one juror staked in the
 * jurors' pool, five validators staked in the validators' pool and one Active listing.
 */
export async function deployValidationFixture(): Promise<ValidationFixture> {
  const signers = await vEthers.getSigners();
  const [deployer, provider, requester, outsider, juror] = signers;
  const validators = signers.slice(5, 10);
  const spares = signers.slice(10, 20);
  if (deployer === undefined || juror === undefined || spares.length < 10) throw new Error("need 20 accounts");
  const system = await deployCuria({ hre, connection: validationConnection, config: LOCAL_CONFIG });
  const { token, registry, court, jurorPool, challenges, validation, validatorPool, timelock } = system;
  const treasury = await timelock.getAddress();
  await vHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await vEthers.getImpersonatedSigner(treasury);
  const randomness = await (await vEthers.getContractFactory("FixedRandomness")).deploy(SEED);
  await validation.connect(asTimelock).setRandomnessSource(await randomness.getAddress());

  for (const account of [provider!, requester!, outsider!, juror, ...validators, ...spares]) {
    await token.connect(deployer).transfer(account.address, parseEther("100000"));
    for (const spender of [registry, court, challenges, jurorPool, validation, validatorPool]) {
      await token.connect(account).approve(await spender.getAddress(), MaxUint256);
    }
  }
  await jurorPool.connect(juror).stake(parseEther("1000"));
  for (const v of validators) await validatorPool.connect(v).stake(VALIDATOR_STAKE);
  const helper = new ValidationHelper(validation, registry, [...validators, ...spares], vHelpers);
  const listingId = await helper.listActive(provider!, "mnist-mlp");
  return {
    deployer,
    provider: provider!,
    requester: requester!,
    outsider: outsider!,
    juror,
    validators,
    spares,
    asTimelock,
    token,
    registry,
    court,
    jurorPool,
    challenges,
    validation,
    validatorPool,
    randomness,
    treasury,
    listingId,
    helper,
  };
}
