// The whole system with the Court, as the court tests see it: the real deploy/ code on Hardhat's in-process chain,
// ten jurors staked in the jurors' pool, and a CourtHelper (scripts/drivers/court.ts) to drive disputes.
import hre from "hardhat";
import { enumBigInts, ListingStatus as ProtocolListingStatus } from "@curia/protocol";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { LOCAL_COURT } from "../../deploy/court-config.js";
import { deployCuria } from "../../deploy/system.js";
import { CourtHelper } from "../../scripts/drivers/court.js";
import type { CuriaContracts } from "../../scripts/drivers/contracts.js";
import type { BlockhashRandomness, Court, StakePool } from "../../types/ethers-contracts/index.js";

export { Choice, CourtHelper, Period, type ChoiceValue } from "../../scripts/drivers/court.js";

export const courtConnection = await hre.network.create();
export const { ethers: cEthers, networkHelpers: cHelpers } = courtConnection;

export const COURT = LOCAL_COURT.params;
export const JUROR_POOL = LOCAL_COURT.jurorPool;
export const CHALLENGES = LOCAL_COURT.challenges;
export const CHALLENGE_BOND = CHALLENGES.minChallengeBond;
export const JUROR_STAKE = parseEther("1000");
export const ListingStatus = enumBigInts(ProtocolListingStatus);

export interface CourtFixture extends CuriaContracts {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  challenger: HardhatEthersSigner;
  curator: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  jurors: HardhatEthersSigner[];
  asTimelock: HardhatEthersSigner;
  validatorPool: StakePool;
  randomness: BlockhashRandomness;
  treasury: string;
  courtHelper: CourtHelper;
}

/** deployCuria on a fresh chain; ten jurors staked, alice and bob delegated (they pass proposals). */
export async function deployCourtFixture(): Promise<CourtFixture> {
  const signers = await cEthers.getSigners();
  const [deployer, provider, challenger, curator, alice, bob, outsider] = signers;
  const jurors = signers.slice(7, 17);
  if (deployer === undefined || outsider === undefined || jurors.length < 10) throw new Error("need 17 accounts");
  const system = await deployCuria({ hre, connection: courtConnection, config: LOCAL_CONFIG });
  const { token, registry, curationPool, governor, timelock, court, jurorPool, challenges } = system;
  // A local chain: the deployment drew from BlockhashRandomness (deploy/court.ts).
  const randomness = await cEthers.getContractAt("BlockhashRandomness", await system.randomness.getAddress());
  const { validation, validatorPool } = system;
  const treasury = await timelock.getAddress();
  await cHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await cEthers.getImpersonatedSigner(treasury);

  for (const account of [provider!, challenger!, curator!, outsider, ...jurors]) {
    await token.connect(deployer).transfer(account.address, parseEther("100000"));
    // Appeals are paid to the court; challenges to ListingChallenges; stakes to the jurors' pool.
    for (const spender of [registry, curationPool, court, challenges, jurorPool, validatorPool]) {
      await token.connect(account).approve(await spender.getAddress(), MaxUint256);
    }
  }
  for (const [holder, amount] of [
    [alice!, parseEther("17000000")],
    [bob!, parseEther("6000000")],
  ] as const) {
    await token.connect(deployer).transfer(holder.address, amount);
    await token.connect(holder).delegate(holder.address);
  }
  for (const juror of jurors) await jurorPool.connect(juror).stake(JUROR_STAKE);
  await cHelpers.mine();
  return {
    deployer,
    provider: provider!,
    challenger: challenger!,
    curator: curator!,
    alice: alice!,
    bob: bob!,
    outsider,
    jurors,
    asTimelock,
    token,
    registry,
    curationPool,
    governor,
    court,
    jurorPool,
    challenges,
    validation,
    validatorPool,
    randomness,
    treasury,
    courtHelper: new CourtHelper(court, challenges, jurors, cHelpers),
  };
}

/** A writable copy of the Court's parameters struct as the contract returns it (to change one field and set it). */
export function paramsOf(p: Awaited<ReturnType<Court["parameters"]>>) {
  return {
    seatStake: p.seatStake,
    arbitrationFeePerSeat: p.arbitrationFeePerSeat,
    appealFeePerSeat: p.appealFeePerSeat,
    commitPeriod: p.commitPeriod,
    revealPeriod: p.revealPeriod,
    appealPeriod: p.appealPeriod,
    firstRoundSeats: p.firstRoundSeats,
    maxJurorRounds: p.maxJurorRounds,
    penaltyBps: p.penaltyBps,
    drawPeriod: p.drawPeriod,
    drawRewardBps: p.drawRewardBps,
    daoReviewPeriod: p.daoReviewPeriod,
  };
}
