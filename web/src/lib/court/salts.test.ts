import { describe, expect, it } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { jurorSaltFromSignature, jurorSaltMessage, voteCommitment } from "@curia/protocol";
import { ACCOUNT, TEST_CONFIG } from "../../test/context";
import {
  createVoteSecret,
  deriveSalt,
  loadVoteSecret,
  parseVoteSecret,
  randomSalt,
  recoverVoteSecret,
  saveVoteSecret,
  secretStorageKey,
  voteSecretFileName,
  type VoteSecretKey,
} from "./salts";
import { memoryStorage } from "./memory-storage";

const KEY: VoteSecretKey = {
  chainId: TEST_CONFIG.chainId,
  court: TEST_CONFIG.contracts.Court,
  disputeId: 1n,
  round: 0n,
  juror: ACCOUNT,
};
const SALT = `0x${"11".repeat(32)}` as const;

describe("vote secrets", () => {
  it("computes the Court's commitment: keccak256(abi.encode(choice, salt, juror, disputeId, round))", () => {
    // A pinned vector: @curia/protocol checks the same function against ethers, viem and the live Court.
    expect(voteCommitment(2, SALT, ACCOUNT, 1n, 0n)).toBe(
      "0x26f66f5c65650e462594308f98f9494dc65108ee2fb4d369c3923cc1e982af58",
    );
  });

  it("makes 32-byte random salts that differ", () => {
    const a = randomSalt();
    expect(a).toMatch(/^0x[0-9a-f]{64}$/);
    expect(randomSalt()).not.toBe(a);
  });

  it("keys the storage by chain, court, dispute, round and juror", () => {
    const key = secretStorageKey(KEY);
    expect(key).toBe(`curia:vote-secret:31337:${KEY.court.toLowerCase()}:1:0:${ACCOUNT.toLowerCase()}`);
    expect(secretStorageKey({ ...KEY, round: 1n })).not.toBe(key);
    expect(secretStorageKey({ ...KEY, chainId: 1 })).not.toBe(key);
  });

  it("saves and loads a secret; another juror finds nothing", () => {
    const storage = memoryStorage();
    const secret = createVoteSecret(KEY, 1, SALT);
    saveVoteSecret(storage, KEY, secret);
    expect(loadVoteSecret(storage, KEY)).toEqual(secret);
    expect(loadVoteSecret(storage, { ...KEY, juror: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" })).toBeUndefined();
    expect(voteSecretFileName(secret)).toBe("curia-vote-dispute-1-round-0-0x709979.json");
  });

  it("reads the demo's salt file (keyed by juror) as well as its own files", () => {
    const demo = { [ACCOUNT]: { disputeId: "1", round: "0", choice: 1, salt: SALT } };
    expect(parseVoteSecret(demo, KEY).commitment).toBe(voteCommitment(1, SALT, ACCOUNT, 1n, 0n));
    const own = JSON.parse(JSON.stringify(createVoteSecret(KEY, 2, SALT))) as unknown;
    expect(parseVoteSecret(own, KEY).choice).toBe(2);
  });

  it("says what does not match in a file", () => {
    const secret = createVoteSecret(KEY, 2, SALT);
    expect(() => parseVoteSecret({ ...secret, dispute: "2" }, KEY)).toThrow("for dispute 2, not dispute 1");
    expect(() => parseVoteSecret({ ...secret, round: "1" }, KEY)).toThrow("for round 1, not round 0");
    expect(() => parseVoteSecret({ ...secret, choice: 3 }, KEY)).toThrow("neither 1 (challenger) nor 2 (defendant)");
    expect(() => parseVoteSecret({ ...secret, salt: "0x12" }, KEY)).toThrow("not a 32-byte hex value");
    expect(() => parseVoteSecret({ "0x0000000000000000000000000000000000000001": {} }, KEY)).toThrow("holds no vote");
  });
});

describe("signature-derived salts", () => {
  // The test account's key (Hardhat's public test account #1, ACCOUNT).
  const signer = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  const sign = (message: string) => signer.signMessage({ message });

  it("derives the salt from the wallet's signature over the protocol's message, the same every time", async () => {
    const signed: string[] = [];
    const salt = await deriveSalt(async (m) => {
      signed.push(m);
      return sign(m);
    }, KEY);
    expect(signed).toEqual([jurorSaltMessage(KEY)]);
    expect(salt).toBe(jurorSaltFromSignature(await sign(jurorSaltMessage(KEY))));
    expect(await deriveSalt(sign, KEY)).toBe(salt);
    expect(await deriveSalt(sign, { ...KEY, round: 1n })).not.toBe(salt);
  });

  it("recovers the choice behind a commitment from the re-derived salt; another salt recovers nothing", async () => {
    const salt = await deriveSalt(sign, KEY);
    const committed = createVoteSecret(KEY, 1, salt);
    expect(recoverVoteSecret(KEY, salt, committed.commitment)).toEqual(committed);
    const defendant = createVoteSecret(KEY, 2, salt);
    expect(recoverVoteSecret(KEY, salt, defendant.commitment)?.choice).toBe(2);
    expect(recoverVoteSecret(KEY, randomSalt(), committed.commitment)).toBeUndefined();
  });
});
