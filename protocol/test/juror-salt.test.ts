// The juror's salt from a wallet signature: an observer who knows every public fact of a commitment cannot read the
// vote (the attack works against a salt derived from public facts only), and the juror's own key re-derives the same
// salt with any wallet library (deterministic RFC 6979 signatures).
import { expect } from "chai";
import { Wallet } from "ethers";
import { keccak256 as viemKeccak, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  Ruling,
  jurorSaltFromSignature,
  jurorSaltMessage,
  jurorSaltOrRandom,
  keccak256,
  voteCommitment,
  type JurorSaltContext,
} from "../src/index.js";

// Hardhat's public test keys #10 and #11: the juror and an observer.
const JUROR_KEY = "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897";
const OBSERVER_KEY = "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82";
const juror = privateKeyToAccount(JUROR_KEY);
const observer = privateKeyToAccount(OBSERVER_KEY);
const CTX: JurorSaltContext = {
  chainId: 31337,
  court: "0x8a791620dd6260079bf849dc5567adc3f2fdc318",
  disputeId: 7n,
  round: 1n,
  juror: juror.address,
};

/** What an observer does with a commitment: tries both rulings with a salt it can compute. */
function readVote(commitment: string, salt: string, ctx: JurorSaltContext): number | undefined {
  return [Ruling.Challenger, Ruling.Defendant].find(
    (choice) => voteCommitment(choice, salt, ctx.juror, ctx.disputeId, ctx.round) === commitment,
  );
}

describe("juror salt from a wallet signature", () => {
  it("attack: a salt computed from public facts (the message's hash) lets anyone read the vote before the reveal", () => {
    const publicSalt = keccak256(new TextEncoder().encode(jurorSaltMessage(CTX)));
    const commitment = voteCommitment(Ruling.Defendant, publicSalt, CTX.juror, CTX.disputeId, CTX.round);
    expect(readVote(commitment, publicSalt, CTX)).to.equal(Ruling.Defendant);
  });

  it("the signature's salt: the observer, with every public fact and its own key, cannot read the vote", async () => {
    const salt = jurorSaltFromSignature(await juror.signMessage({ message: jurorSaltMessage(CTX) }));
    const commitment = voteCommitment(Ruling.Defendant, salt, CTX.juror, CTX.disputeId, CTX.round);
    const message = jurorSaltMessage(CTX);
    const guesses = [
      keccak256(new TextEncoder().encode(message)),
      jurorSaltFromSignature(await observer.signMessage({ message })),
      jurorSaltFromSignature(
        await observer.signMessage({ message: jurorSaltMessage({ ...CTX, juror: observer.address }) }),
      ),
    ];
    for (const guess of guesses) expect(readVote(commitment, guess, CTX)).to.equal(undefined);
    // The juror reads it back: that is the reveal.
    expect(readVote(commitment, salt, CTX)).to.equal(Ruling.Defendant);
  });

  it("is deterministic: the same key gives the same salt every time, with viem and with ethers", async () => {
    const message = jurorSaltMessage(CTX);
    const first = jurorSaltFromSignature(await juror.signMessage({ message }));
    const again = jurorSaltFromSignature(await juror.signMessage({ message }));
    const ethers = jurorSaltFromSignature(await new Wallet(JUROR_KEY).signMessage(message));
    expect(again).to.equal(first);
    expect(ethers).to.equal(first);
    // keccak256 of the 65 signature bytes, as any library computes it.
    const signature = await juror.signMessage({ message });
    expect(first).to.equal(viemKeccak(toBytes(signature)));
  });

  it("names the chain, the court, the dispute, the round and the juror: changing any one changes the salt", async () => {
    const saltOf = async (ctx: JurorSaltContext) =>
      jurorSaltFromSignature(await juror.signMessage({ message: jurorSaltMessage(ctx) }));
    const base = await saltOf(CTX);
    const variants: Partial<JurorSaltContext>[] = [
      { chainId: 1 },
      { court: "0x9A676e781A523b5d0C0e43731313A708CB607508" },
      { disputeId: 8n },
      { round: 0n },
      { juror: observer.address },
    ];
    const salts = await Promise.all(variants.map((v) => saltOf({ ...CTX, ...v })));
    expect(new Set([base, ...salts]).size).to.equal(variants.length + 1);
    // Addresses are named in their checksummed form whatever the input's case.
    expect(jurorSaltMessage({ ...CTX, court: CTX.court.toUpperCase().replace("0X", "0x") })).to.equal(
      jurorSaltMessage(CTX),
    );
    expect(jurorSaltMessage(CTX)).to.contain("Court: 0x8A791620dd6260079BF849Dc5567aDC3F2FdC318");
  });

  it("refuses anything but a 65-byte hex signature", () => {
    expect(() => jurorSaltFromSignature("0x1234")).to.throw("a signature is 65 bytes, not 2");
    expect(() => jurorSaltFromSignature(`0x${"zz".repeat(65)}`)).to.throw("a signature is 0x-prefixed hex");
  });

  it("jurorSaltOrRandom: the signature's salt when the wallet signs, 32 fresh random bytes when it refuses", async () => {
    const signed = await jurorSaltOrRandom((message) => juror.signMessage({ message }), CTX);
    expect(signed.source).to.equal("signature");
    expect(signed.salt).to.equal(jurorSaltFromSignature(await juror.signMessage({ message: jurorSaltMessage(CTX) })));
    expect(signed.refusal).to.equal(undefined);

    const refusal = new Error("User rejected the request.");
    const refuse = async (): Promise<string> => {
      throw refusal;
    };
    const first = await jurorSaltOrRandom(refuse, CTX);
    const second = await jurorSaltOrRandom(refuse, CTX);
    expect(first.source).to.equal("random");
    expect(first.refusal).to.equal(refusal);
    expect(first.salt).to.match(/^0x[0-9a-f]{64}$/);
    // Random, not derived: a second refusal gives another salt, and neither is the signature's.
    expect(second.salt).to.not.equal(first.salt);
    expect(first.salt).to.not.equal(signed.salt);
    const fixed = await jurorSaltOrRandom(refuse, CTX, () => new Uint8Array(32).fill(0xab));
    expect(fixed.salt).to.equal(`0x${"ab".repeat(32)}`);
    // A malformed signature is the wallet's bug, not a refusal: no silent random salt.
    let thrown: unknown;
    await jurorSaltOrRandom(async () => "0x1234", CTX).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.equal("a signature is 65 bytes, not 2");
  });
});
