// Committee capture (issue 17), played as a validator cartel that sees the round's seed once its block is mined and
// can time its stakes: in v1 three sybils holding 20 % of the validators' stake took 3 of 5 seats and set a listing's
// quality alone. Here the cartel searches, off-chain and with the protocol's own draw rule, for the top-up that would
// hand it a majority of the committee, and stakes it before the draw. The weights were frozen when the seed was asked
// for: the committee is the one it would have been without the top-up.
import { expect } from "chai";
import { drawLandsOn, drawValue } from "@curia/protocol";
import { parseEther } from "ethers";
import { deployValidationFixture, vEthers, vHelpers } from "../helpers/validation.js";

const SEATS = 5n;
/** Each sybil's stake: three of them hold 20 % of the pool next to the five honest validators' 5,000 CUR. */
const SYBIL_STAKE = parseEther("417");

async function seedKnownFixture() {
  const f = await vHelpers.loadFixture(deployValidationFixture);
  const { validation, validatorPool, asTimelock, spares, helper, requester, listingId } = f;
  const sybils = spares.slice(0, 3);
  for (const s of sybils) await validatorPool.connect(s).stake(SYBIL_STAKE);
  // A seed nobody chose, readable once its request is served (as a VRF's word or a mined block's hash would be).
  const source = await vEthers.deployContract("FixedRandomness", [20_260_101n]);
  await validation.connect(asTimelock).setRandomnessSource(await source.getAddress());
  const roundId = await helper.open(requester, listingId);
  const seed = await source.randomness((await validation.getRound(roundId)).randomnessRequest);
  return { ...f, sybils, roundId, seed };
}

describe("ValidationManager: committees nobody can steer", function () {
  it("attack: a cartel that sees the seed cannot buy a majority of the committee with stake added before the draw", async function () {
    const f = await vHelpers.loadFixture(seedKnownFixture);
    const { validation, validatorPool, sybils, roundId, seed } = f;
    expect(await validatorPool.pendingDraws(), "the request froze the validators' pool").to.equal(1n);
    const leaves: { account: string; weight: bigint }[] = [];
    for (let slot = 0n; slot < (await validatorPool.memberSlots()); slot++) {
      const account = await validatorPool.memberAt(slot);
      leaves.push({ account, weight: (await validatorPool.drawWeight(account))[0] });
    }
    const cartel = new Set(sybils.map((s) => s.address));
    const cartelSeats = (tree: typeof leaves) =>
      [...Array(Number(SEATS)).keys()].filter((s) => cartel.has(drawLandsOn(tree, drawValue(seed, BigInt(s)))!.account))
        .length;
    const fair = cartelSeats(leaves);
    // The cartel's search: the smallest top-up of its first sybil (in whole CUR) that would seat it three times.
    const first = leaves.findIndex((l) => l.account === sybils[0]!.address);
    let topUp: bigint | undefined;
    for (let extra = 1n; extra <= 20_000n && topUp === undefined; extra++) {
      const steered = leaves.map((l, i) => (i === first ? { ...l, weight: l.weight + extra } : l));
      if (cartelSeats(steered) >= 3) topUp = extra;
    }
    expect(topUp !== undefined, "a top-up that buys a majority exists").to.equal(true);
    expect(fair, "without it the cartel has no majority").to.be.lessThan(3);
    const start = await vHelpers.takeSnapshot();

    // Control: on a tree that took the top-up at once (v1's), the seed's seat values seat the cartel three times.
    await validation.drawCommittee(roundId);
    await validatorPool.connect(sybils[0]!).stake(parseEther(topUp!.toString()));
    const live = [...Array(Number(SEATS)).keys()].map(async (s) => validatorPool.draw(drawValue(seed, BigInt(s))));
    expect((await Promise.all(live)).filter((a) => cartel.has(a)).length).to.be.at.least(3);
    await start.restore();

    // The attack: stake the top-up with the seed known, then draw. The frozen tree ignores it.
    const honest = await committee(f, roundId);
    await start.restore();
    await validatorPool.connect(sybils[0]!).stake(parseEther(topUp!.toString()));
    const attacked = await committee(f, roundId);
    expect(attacked).to.deep.equal(honest);
    const cartelHeld = attacked.filter((m) => cartel.has(m.address)).reduce((s, m) => s + m.seats, 0n);
    expect(cartelHeld).to.equal(BigInt(fair)).and.to.be.lessThan(3n);
  });
});

/** Draws the round's committee and returns each member with its seats, in draw order. */
async function committee(f: Awaited<ReturnType<typeof seedKnownFixture>>, roundId: bigint) {
  await f.validation.drawCommittee(roundId);
  const members = [];
  for (const address of await f.validation.committeeOf(roundId)) {
    members.push({ address, seats: BigInt((await f.validation.memberOf(roundId, address)).seats) });
  }
  return members;
}
