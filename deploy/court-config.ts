import { parseEther } from "ethers";

/** The Court's governed figures (see ICourt.CourtParameters): amounts in CUR wei, periods in seconds, shares in bps. */
export interface CourtParametersConfig {
  minJurorStake: bigint;
  minChallengeBond: bigint;
  arbitrationFeePerSeat: bigint;
  appealFeePerSeat: bigint;
  thawingPeriod: number;
  commitPeriod: number;
  revealPeriod: number;
  appealPeriod: number;
  firstRoundSeats: number;
  maxJurorRounds: number;
  penaltyBps: number;
  winnerShareBps: number;
  jurorShareBps: number;
  treasuryShareBps: number;
}

export interface CourtConfig {
  params: CourtParametersConfig;
  /** Blocks between a randomness request and the block whose hash seeds the draw (BlockhashRandomness). */
  randomnessLookahead: number;
  /** ERC-1497 meta-evidence of listing challenges: the policy jurors apply. */
  listingMetaEvidenceURI: string;
}

const DAY = 86_400;

export const MAINNET_COURT: CourtConfig = {
  params: {
    minJurorStake: parseEther("1000"),
    minChallengeBond: parseEther("10000"),
    arbitrationFeePerSeat: parseEther("50"),
    appealFeePerSeat: parseEther("100"),
    thawingPeriod: 7 * DAY,
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
    winnerShareBps: 6_000,
    jurorShareBps: 200,
    treasuryShareBps: 3_800,
  },
  randomnessLookahead: 2,
  listingMetaEvidenceURI: "ipfs://curia/policies/listing-challenge-v1.json",
};

/** Short periods for the local chain and tests; two juror rounds (3 → 7 seats) before the DAO. */
export const LOCAL_COURT: CourtConfig = {
  ...MAINNET_COURT,
  params: {
    ...MAINNET_COURT.params,
    minJurorStake: parseEther("100"),
    minChallengeBond: parseEther("1000"),
    arbitrationFeePerSeat: parseEther("10"),
    appealFeePerSeat: parseEther("20"),
    thawingPeriod: 3_600,
    commitPeriod: 600,
    revealPeriod: 600,
    appealPeriod: 600,
    maxJurorRounds: 2,
    // 60 CUR a seat against a coherent seat's ~17 (10 fee + 2% × 1,100 / 3): −21 CUR a seat for a coin-flipper.
    penaltyBps: 6_000,
  },
  randomnessLookahead: 1,
};

/** The court config for a network: local figures on development chains, mainnet figures elsewhere. */
export function courtConfigFor(networkName: string): CourtConfig {
  return networkName === "hardhat" || networkName === "localhost" || networkName === "default"
    ? LOCAL_COURT
    : MAINNET_COURT;
}
