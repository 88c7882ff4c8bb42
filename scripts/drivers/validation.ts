// ValidationHelper drives a validation round like a script: open → draw → commitScores → waitForReveal → revealScores →
// waitForFinalize → finalize. A driver, not a test: the contract tests, the gas bench and the simulation use it.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { enumBigInts, RoundPhase, scoreCommitment } from "@curia/protocol";
import { hexlify, id, MaxUint256, parseEther, randomBytes, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import type {
  CanaryAudits,
  Court,
  CuriaLens,
  CuriaToken,
  ConstantRandomness,
  ListingChallenges,
  ListingRegistry,
  StakePool,
  ValidationManager,
} from "../../types/ethers-contracts/index.js";

/** Each validator's stake in the validation system. */
export const VALIDATOR_STAKE = parseEther("1000");
/** The seed of the validation system (every request gets it): seat s of a round on the five equal stakes is validator s. */
export const SEED = 4_599n;
/** The price per call of the listings {@link ValidationHelper.listActive} creates. */
export const LISTING_PRICE = parseEther("2");

/** ValidationManager.RoundPhase as ethers returns it (bigint). */
export const Phase = enumBigInts(RoundPhase);

export class ValidationHelper {
  /** Salts of committed scores, by `${roundId}/${validator}` (fixture snapshots may reuse a key: see revealScores). */
  private readonly salts = new Map<string, { score: number; salt: string; commitment: string }>();

  constructor(
    readonly validation: ValidationManager,
    readonly registry: ListingRegistry,
    /** Every account that may sit on a committee. */
    readonly pool: HardhatEthersSigner[],
    readonly helpers: NetworkHelpers,
  ) {}

  /** Lists a model (hash derived from `name`), waits out its application period, and returns its id. */
  async listActive(provider: Signer, name: string): Promise<bigint> {
    const bond = (await this.registry.parameters()).minBond;
    const tx = await this.registry
      .connect(provider)
      .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, LISTING_PRICE, bond);
    const receipt = await tx.wait();
    const log = receipt?.logs
      .map((l) => this.registry.interface.parseLog(l))
      .find((parsed) => parsed?.name === "ListingCreated");
    if (log === undefined || log === null) throw new Error("no ListingCreated event");
    await this.increaseTo(log.args.activatesAt as bigint);
    return log.args.listingId as bigint;
  }

  /** Opens a round (as `caller`) and returns its id. */
  async open(caller: Signer, listingId: bigint): Promise<bigint> {
    const roundId = await this.validation.connect(caller).openRound.staticCall(listingId);
    await (await this.validation.connect(caller).openRound(listingId)).wait();
    return roundId;
  }

  /** Draws the committee and returns its members as signers, in committee order. */
  async draw(roundId: bigint): Promise<HardhatEthersSigner[]> {
    await (await this.validation.drawCommittee(roundId)).wait();
    return this.committee(roundId);
  }

  async committee(roundId: bigint): Promise<HardhatEthersSigner[]> {
    const addresses = await this.validation.committeeOf(roundId);
    return addresses.map((a) => {
      const signer = this.pool.find((s) => s.address === a);
      if (signer === undefined) throw new Error(`${a} is not in the helper's pool`);
      return signer;
    });
  }

  async commit(validator: HardhatEthersSigner, roundId: bigint, score: number) {
    const salt = hexlify(randomBytes(32));
    const commitment = scoreCommitment(score, salt, validator.address, roundId);
    const tx = await this.validation.connect(validator).commitScore(roundId, commitment);
    // Kept only once the commit went through: a rejected commit must not replace the salt of an accepted one.
    this.salts.set(`${roundId}/${validator.address}`, { score, salt, commitment });
    return tx;
  }

  async reveal(validator: HardhatEthersSigner, roundId: bigint) {
    const vote = this.salts.get(`${roundId}/${validator.address}`);
    if (vote === undefined) throw new Error(`${validator.address} has not committed through the helper`);
    return this.validation.connect(validator).revealScore(roundId, vote.score, vote.salt);
  }

  /** Commits `scores[i]` for the i-th member (undefined: the member stays away). */
  async commitScores(roundId: bigint, committee: HardhatEthersSigner[], scores: (number | undefined)[]) {
    for (const [i, member] of committee.entries()) {
      const score = scores[i];
      if (score !== undefined) await this.commit(member, roundId, score);
    }
  }

  /** Reveals every score the helper committed in the round (on this chain state), except those of `absent`. */
  async revealScores(roundId: bigint, committee: HardhatEthersSigner[], absent: string[] = []) {
    for (const member of committee) {
      if (absent.includes(member.address)) continue;
      const kept = this.salts.get(`${roundId}/${member.address}`);
      const onChain = await this.validation.memberOf(roundId, member.address);
      // A salt from another test (reverted by a fixture snapshot) does not match what this chain holds.
      if (kept !== undefined && onChain.commitment === kept.commitment && !onChain.revealed) {
        await this.reveal(member, roundId);
      }
    }
  }

  async waitForReveal(roundId: bigint): Promise<void> {
    await this.increaseTo((await this.validation.getRound(roundId)).commitEnd);
  }

  async waitForFinalize(roundId: bigint): Promise<void> {
    await this.increaseTo((await this.validation.getRound(roundId)).revealEnd);
  }

  /**
   * A whole round on `listingId`: open (by `caller`), draw, the i-th member commits `scores[i]` and reveals it unless
   * listed in `silent` (committed but never revealed), then the reveal period ends. Returns the round and committee.
   */
  async runRound(
    caller: Signer,
    listingId: bigint,
    scores: (number | undefined)[],
    silent: number[] = [],
  ): Promise<{ roundId: bigint; committee: HardhatEthersSigner[] }> {
    const roundId = await this.open(caller, listingId);
    const committee = await this.draw(roundId);
    await this.commitScores(roundId, committee, scores);
    await this.waitForReveal(roundId);
    await this.revealScores(
      roundId,
      committee,
      silent.map((i) => committee[i]!.address),
    );
    await this.waitForFinalize(roundId);
    return { roundId, committee };
  }

  /** Moves time to `timestamp` unless it has already passed. */
  async increaseTo(timestamp: bigint): Promise<void> {
    if (timestamp > BigInt(await this.helpers.time.latest())) await this.helpers.time.increaseTo(timestamp);
  }
}

/**
 * As the DAO (the timelock, impersonated: development chains only), has `validation` draw every round from `seed`
 * (a ConstantRandomness): committees are drawn with replacement, and a test that needs to know who sits picks a seed
 * that seats whom it needs (SEED seats five equal stakes once each, in staking order). Returns the source.
 */
export async function useConstantSeed(
  connection: NetworkConnection,
  validation: ValidationManager,
  timelock: string,
  seed: bigint = SEED,
): Promise<ConstantRandomness> {
  const { ethers, networkHelpers } = connection;
  await networkHelpers.setBalance(timelock, parseEther("10"));
  const asDao = await ethers.getImpersonatedSigner(timelock);
  const source = await (await ethers.getContractFactory("ConstantRandomness")).deploy(seed);
  await source.waitForDeployment();
  await (await validation.connect(asDao).setRandomnessSource(await source.getAddress())).wait();
  return source;
}

export interface ValidationSystem {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  requester: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  juror: HardhatEthersSigner;
  /** Registered, VALIDATOR_STAKE each: with the fixed seed, a round on unchanged stakes seats each of them once. */
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
  lens: CuriaLens;
  /** Planted-error audits (no operator until a test appoints one). */
  canary: CanaryAudits;
  randomness: ConstantRandomness;
  treasury: string;
  listingId: bigint;
  helper: ValidationHelper;
}

/**
 * deployCuria on a fresh chain, then a fixed-seed randomness source (reproducible draws), one juror staked in the
 * jurors' pool, five validators staked in the validators' pool and one Active listing: the system the validation
 * tests and the validation gas bench run on.
 */
export async function deployValidationSystem(
  hre: HardhatRuntimeEnvironment,
  connection: NetworkConnection,
): Promise<ValidationSystem> {
  const { ethers, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [deployer, provider, requester, outsider, juror] = signers;
  const validators = signers.slice(5, 10);
  const spares = signers.slice(10, 20);
  if (deployer === undefined || juror === undefined || spares.length < 10) throw new Error("need 20 accounts");
  const system = await deployCuria({ hre, connection, config: LOCAL_CONFIG });
  const { token, registry, court, jurorPool, challenges, validation, validatorPool, lens, timelock, canary } = system;
  const treasury = await timelock.getAddress();
  await networkHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await ethers.getImpersonatedSigner(treasury);
  const randomness = await useConstantSeed(connection, validation, treasury);

  for (const account of [provider!, requester!, outsider!, juror, ...validators, ...spares]) {
    await token.connect(deployer).transfer(account.address, parseEther("100000"));
    for (const spender of [registry, court, challenges, jurorPool, validation, validatorPool]) {
      await token.connect(account).approve(await spender.getAddress(), MaxUint256);
    }
  }
  await jurorPool.connect(juror).stake(parseEther("1000"));
  for (const v of validators) await validatorPool.connect(v).stake(VALIDATOR_STAKE);
  const helper = new ValidationHelper(validation, registry, [...validators, ...spares], networkHelpers);
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
    lens,
    canary,
    randomness,
    treasury,
    listingId,
    helper,
  };
}
