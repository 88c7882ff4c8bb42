import { parseEther } from "ethers";

/** A StakePool's governed figures (see IStakePool.PoolParameters): CUR wei and seconds. */
export interface PoolParametersConfig {
  minStake: bigint;
  thawingPeriod: number;
}

/** The Court's governed figures (see ICourt.CourtParameters): amounts in CUR wei, periods in seconds, shares in bps. */
export interface CourtParametersConfig {
  seatStake: bigint;
  arbitrationFeePerSeat: bigint;
  appealFeePerSeat: bigint;
  commitPeriod: number;
  revealPeriod: number;
  appealPeriod: number;
  firstRoundSeats: number;
  maxJurorRounds: number;
  penaltyBps: number;
  /** Seconds a round may take to be drawn; then it goes on with the seats drawn, or to the DAO. */
  drawPeriod: number;
  /** Share of a round's fees paid to whoever draws its seats, so that draws are prompt. */
  drawRewardBps: number;
  /** Seconds the DAO has to rule a dispute sent to it; then the last juror ruling stands and a DAO appeal is refunded. */
  daoReviewPeriod: number;
}

/** ListingChallenges' governed figures (see IListingChallenges.ChallengeParameters). */
export interface ChallengeParametersConfig {
  minChallengeBond: bigint;
  winnerShareBps: number;
  jurorShareBps: number;
  treasuryShareBps: number;
}

/** ListingChallenges' appeal multipliers (see IListingChallenges.AppealFundingParameters). */
export interface AppealFundingConfig {
  winnerMultiplierBps: number;
  loserMultiplierBps: number;
}

/**
 * The Chainlink VRF v2.5 subscription the court and the validation rounds draw from on any chain but a local one
 * (VrfRandomness). The DAO's subscription must add the deployed adapter as a consumer (Chainlink's VRF app).
 */
export interface VrfConfig {
  /** The chain's VRF v2.5 coordinator. */
  coordinator: string;
  /** The gas lane (key hash) to request with. */
  keyHash: string;
  subscriptionId: bigint;
  requestConfirmations: number;
  callbackGasLimit: number;
  /** Pay in the chain's native token rather than LINK. */
  nativePayment: boolean;
}

export interface CourtConfig {
  /** The jurors' StakePool: a juror's minimum stake and thawing period. */
  jurorPool: PoolParametersConfig;
  params: CourtParametersConfig;
  /** How listing challenges are paid and split (the marketplace's adapter to the court). */
  challenges: ChallengeParametersConfig;
  /** Crowdfunded appeals: each side raises the appeal cost plus this multiple of it as its stake. */
  appealFunding: AppealFundingConfig;
  /** Blocks between a randomness request and the block whose hash seeds the draw (BlockhashRandomness). */
  randomnessLookahead: number;
  /** ERC-1497 meta-evidence of listing challenges: the policy jurors apply. */
  listingMetaEvidenceURI: string;
  /** Prefix of the evidence URI of a challenge a validation round raised; the round id follows it. */
  roundEvidenceBaseURI: string;
  /** Required on any chain but a local one (31337, 1337); set it in the CURIA_DEPLOY_CONFIG file. */
  vrf?: VrfConfig;
}

const DAY = 86_400;

export const MAINNET_COURT: CourtConfig = {
  jurorPool: { minStake: parseEther("1000"), thawingPeriod: 7 * DAY },
  params: {
    seatStake: parseEther("1000"),
    arbitrationFeePerSeat: parseEther("50"),
    appealFeePerSeat: parseEther("100"),
    commitPeriod: 2 * DAY,
    revealPeriod: 2 * DAY,
    appealPeriod: 3 * DAY,
    firstRoundSeats: 3,
    maxJurorRounds: 3,
    // A juror who votes at random is coherent half the time: it must lose more when it is not than it earns when it
    // is, so the penalty is about twice a coherent seat's pay (its fee plus its part of the jurors' share of the
    // loser's stake): 400 against 50 + 2% × 11,000 / 3 ≈ 123, an expected −138 CUR a seat for a coin-flipper. With a
    // 30% jurors' share and a 10% penalty, random voting paid ~+475 CUR a seat (scripts/sim/README.md, "Parameter
    // and mechanism changes").
    penaltyBps: 4_000,
    // A VRF answers within minutes; a day leaves keepers ample time, and bounds how long a round can hold the jurors'
    // pool frozen.
    drawPeriod: DAY,
    drawRewardBps: 500,
    // A proposal takes 1 day of delay, 5 of voting and 2 in the timelock: 21 days leave room for a second try, and
    // bound the longest dispute (3 juror rounds of at most 8 days, then this): 45 days.
    daoReviewPeriod: 21 * DAY,
  },
  challenges: {
    minChallengeBond: parseEther("10000"),
    winnerShareBps: 6_000,
    jurorShareBps: 200,
    treasuryShareBps: 3_800,
  },
  // Kleros's defaults: the side that lost the round stakes twice the appeal cost, the side that won it once. The
  // losing side risks more because it asks the court to work again; the winning side's funders earn the losing side's
  // stake when the ruling holds.
  appealFunding: { winnerMultiplierBps: 10_000, loserMultiplierBps: 20_000 },
  randomnessLookahead: 2,
  listingMetaEvidenceURI: "ipfs://curia/policies/listing-challenge-v1.json",
  roundEvidenceBaseURI: "curia://validation/rounds/",
};

/** Short periods for the local chain and tests; two juror rounds (3 → 7 seats) before the DAO. */
export const LOCAL_COURT: CourtConfig = {
  ...MAINNET_COURT,
  jurorPool: { minStake: parseEther("100"), thawingPeriod: 3_600 },
  params: {
    ...MAINNET_COURT.params,
    seatStake: parseEther("100"),
    arbitrationFeePerSeat: parseEther("10"),
    appealFeePerSeat: parseEther("20"),
    commitPeriod: 600,
    revealPeriod: 600,
    appealPeriod: 600,
    maxJurorRounds: 2,
    // 60 CUR a seat against a coherent seat's ~17 (10 fee + 2% × 1,100 / 3): −21 CUR a seat for a coin-flipper.
    penaltyBps: 6_000,
    drawPeriod: 3_600,
    // The local Governor: 60 s delay, 1 hour of voting, 120 s in the timelock.
    daoReviewPeriod: 2 * 3_600,
  },
  challenges: { ...MAINNET_COURT.challenges, minChallengeBond: parseEther("1000") },
  randomnessLookahead: 1,
};

/** The court config for a network: local figures on development chains, mainnet figures elsewhere. */
export function courtConfigFor(networkName: string): CourtConfig {
  return networkName === "hardhat" || networkName === "localhost" || networkName === "default"
    ? LOCAL_COURT
    : MAINNET_COURT;
}
