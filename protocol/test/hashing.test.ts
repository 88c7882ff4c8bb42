// Commitment hashing: the same bytes as ethers' and viem's ABI coders, and what the live contracts recompute on reveal.
import { expect } from "chai";
import {
  AbiCoder,
  TypedDataEncoder,
  Wallet,
  getAddress,
  hexlify,
  keccak256 as ethersKeccak,
  randomBytes,
} from "ethers";
import { encodeAbiParameters, hashTypedData, keccak256 as viemKeccak, type Hex } from "viem";
import {
  CANARY_TREE_DEPTH,
  canaryTree,
  INFERENCE_PRIMARY_TYPE,
  INFERENCE_TYPES,
  SCORE_COMMITMENT_TYPES,
  VOTE_COMMITMENT_TYPES,
  checksumAddress,
  inferenceDomain,
  scoreCommitment,
  voteCommitment,
} from "../src/index.js";
import { recoverInferenceSigner, signInferenceRequest } from "../src/ethers/index.js";
import { systemFixture } from "./helpers/system.js";

const coder = AbiCoder.defaultAbiCoder();
const salt = () => hexlify(randomBytes(32));
const address = () => Wallet.createRandom().address;
const viemParams = (types: readonly string[]) => types.map((type) => ({ type }));

describe("commitment hashing", function () {
  describe("agrees with ethers' and viem's ABI coders", function () {
    const votes: [number, string, string, bigint, bigint][] = [
      [1, salt(), address(), 1n, 0n],
      [2, salt(), address().toLowerCase(), 42n, 1n],
      [0, `0x${"00".repeat(32)}`, "0x0000000000000000000000000000000000000000", 0n, 0n],
      [255, `0x${"ff".repeat(32)}`, "0xffffffffffffffffffffffffffffffffffffffff", 2n ** 256n - 1n, 2n ** 256n - 1n],
    ];
    for (const [i, vote] of votes.entries()) {
      it(`votes, vector ${i + 1}`, function () {
        const expected = ethersKeccak(coder.encode([...VOTE_COMMITMENT_TYPES], vote));
        expect(voteCommitment(...vote)).to.equal(expected);
        expect(viemKeccak(encodeAbiParameters(viemParams(VOTE_COMMITMENT_TYPES), vote as never))).to.equal(expected);
      });
    }

    const scores: [number, string, string, bigint][] = [
      [9_000, salt(), address(), 1n],
      [0, salt(), address(), 7n],
      [10_000, `0x${"ab".repeat(32)}`, address().toLowerCase(), 2n ** 64n],
      [65_535, `0x${"ff".repeat(32)}`, "0xffffffffffffffffffffffffffffffffffffffff", 2n ** 256n - 1n],
    ];
    for (const [i, score] of scores.entries()) {
      it(`scores, vector ${i + 1}`, function () {
        const expected = ethersKeccak(coder.encode([...SCORE_COMMITMENT_TYPES], score));
        expect(scoreCommitment(...score)).to.equal(expected);
        expect(viemKeccak(encodeAbiParameters(viemParams(SCORE_COMMITMENT_TYPES), score as never))).to.equal(expected);
      });
    }

    it("refuses what the contracts' types cannot hold", function () {
      const juror = address();
      expect(() => voteCommitment(256, salt(), juror, 1n, 0n)).to.throw(RangeError, "uint8");
      expect(() => voteCommitment(-1, salt(), juror, 1n, 0n)).to.throw(RangeError, "uint8");
      expect(() => voteCommitment(1.5, salt(), juror, 1n, 0n)).to.throw(RangeError, "safe integer");
      expect(() => voteCommitment(1, "0x1234", juror, 1n, 0n)).to.throw(TypeError, "bytes32");
      expect(() => voteCommitment(1, salt(), "0x1234", 1n, 0n)).to.throw(TypeError, "address");
      expect(() => voteCommitment(1, salt(), juror, 2n ** 256n, 0n)).to.throw(RangeError, "uint256");
      expect(() => scoreCommitment(65_536, salt(), juror, 1n)).to.throw(RangeError, "uint16");
    });
  });

  describe("against the live contracts", function () {
    const fixture = systemFixture();

    it("a vote committed with voteCommitment reveals; another salt gives the Court's own mismatch hash", async function () {
      const s = await fixture();
      const disputeId = await s.challenge(await s.activeListing("hashing-vote"));
      await s.waitForRandomness();
      await s.draw(disputeId, 64);
      const [juror] = await s.jury(disputeId);
      const { index: round } = await s.courtRound(disputeId);
      const mine = salt();
      const commitment = voteCommitment(2, mine, juror!.address, disputeId, round);
      await (await s.commitVote(juror!, disputeId, commitment)).wait();
      expect(await s.storedVote(disputeId, round, juror!)).to.equal(commitment);
      await s.mineAt(BigInt((await s.courtRound(disputeId)).commitEnd));

      const other = salt();
      const error = await s.revealVote(juror!, disputeId, 2, other).then(
        () => expect.fail("a reveal with another salt went through"),
        (e: { data?: string }) => s.court.interface.parseError(e.data!),
      );
      expect(error?.name).to.equal("CourtRevealMismatch");
      expect(error?.args.computed).to.equal(voteCommitment(2, other, juror!.address, disputeId, round));

      const receipt = await (await s.revealVote(juror!, disputeId, 2, mine)).wait();
      const revealed = receipt!.logs.map((l) => s.court.interface.parseLog(l)).find((l) => l?.name === "VoteRevealed");
      expect(revealed?.args.juror).to.equal(juror!.address);
    });

    it("a score committed with scoreCommitment reveals; another score gives the manager's own mismatch hash", async function () {
      const s = await fixture();
      const roundId = await s.openRound(await s.activeListing("hashing-score"));
      await s.waitForRandomness();
      await (await s.drawCommittee(roundId)).wait();
      const committee = await s.committee(roundId);
      const salts = committee.map(() => salt());
      for (const [i, member] of committee.entries()) {
        const commitment = scoreCommitment(8_000 + i, salts[i]!, member.address, roundId);
        await (await s.commitScore(member, roundId, commitment)).wait();
        expect(await s.storedScore(roundId, member)).to.equal(commitment);
      }
      const first = committee[0]!;
      const error = await s.revealScore(first, roundId, 8_001, salts[0]!).then(
        () => expect.fail("a reveal of another score went through"),
        (e: { data?: string }) => s.validation.interface.parseError(e.data!),
      );
      expect(error?.name).to.equal("ValidationRevealMismatch");
      expect(error?.args.computed).to.equal(scoreCommitment(8_001, salts[0]!, first.address, roundId));
      for (const [i, member] of committee.entries()) {
        await (await s.revealScore(member, roundId, 8_000 + i, salts[i]!)).wait();
      }
      // Every seat revealed (a member drawn twice holds two seats: committees are drawn with replacement).
      const round = await s.validationRound(roundId);
      expect(round.revealed).to.equal(round.seated);
      expect(BigInt(round.seated) >= BigInt(committee.length)).to.equal(true);
    });
  });
});

describe("inference requests (EIP-712)", function () {
  it("checksums addresses as ethers does, and refuses a wrong checksum", function () {
    for (let i = 0; i < 20; i++) {
      const a = address();
      expect(checksumAddress(a.toLowerCase())).to.equal(getAddress(a));
      expect(checksumAddress(a)).to.equal(a);
    }
    // EIP-55's own example, and the same address with one letter's case changed.
    expect(checksumAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")).to.equal(
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    );
    expect(() => checksumAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")).to.throw(TypeError, "checksum");
  });

  it("hashes the same request the same way in ethers and viem, and ethers signatures recover", async function () {
    const domain = inferenceDomain(31_337, address().toLowerCase());
    const message = { caller: address(), listingId: 3n, nonce: 99n, expiry: 1_700_000_000n };
    const fromEthers = TypedDataEncoder.hash(
      domain,
      { InferenceRequest: [...INFERENCE_TYPES.InferenceRequest] },
      message,
    );
    const fromViem = hashTypedData({
      domain,
      types: INFERENCE_TYPES,
      primaryType: INFERENCE_PRIMARY_TYPE,
      message: { ...message, caller: message.caller as Hex },
    });
    expect(fromViem).to.equal(fromEthers);

    const signer = Wallet.createRandom();
    const auth = await signInferenceRequest(signer, domain, 5n, { now: 1_000, ttlSeconds: 60 });
    expect(auth).to.include({ caller: signer.address, listingId: "5", expiry: 1_060 });
    expect(recoverInferenceSigner(domain, auth)).to.equal(signer.address);
    expect(recoverInferenceSigner({ ...domain, chainId: 1n }, auth)).to.not.equal(signer.address);
  });

  it("canaryTree: the leaf's path follows the listing id's bits, one leaf per position, checked hash by hash", () => {
    const leaves = new Map<bigint, string>([5n, 6n, 1_000_000n].map((id) => [id, hexlify(randomBytes(32))]));
    const tree = canaryTree(leaves);
    for (const [id, leaf] of leaves) {
      const proof = tree.proof(id);
      expect(proof).to.have.length(CANARY_TREE_DEPTH);
      let node = leaf;
      for (let i = 0; i < CANARY_TREE_DEPTH; i++) {
        node =
          ((id >> BigInt(i)) & 1n) === 0n
            ? ethersKeccak(node + proof[i]!.slice(2))
            : ethersKeccak(proof[i]! + node.slice(2));
      }
      expect(node).to.equal(tree.root);
    }
    // The same leaf at a neighbour's position gives another root: position is part of what the root binds.
    const moved = new Map(leaves);
    moved.set(4n, moved.get(5n)!);
    moved.delete(5n);
    expect(canaryTree(moved).root).to.not.equal(tree.root);
    expect(() => canaryTree(new Map([[1n << 32n, hexlify(randomBytes(32))]]))).to.throw(/outside the canary tree/);
    expect(() => canaryTree(new Map([[1n, "0x1234"]]))).to.throw(/not 32 bytes/);
    expect(() => tree.proof(7n)).to.throw(/listing 7 has no leaf/);
  });
});
