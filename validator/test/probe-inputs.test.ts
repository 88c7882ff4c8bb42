// The probes' private material, off-chain (issue 16): the probe secret (created once, mode 0600, refused when others
// can read it), fresh inputs that no public dataset contains yet keep the reference model accurate, the random
// schedule, and the buyers' keys. The attacker here is a provider holding the whole public dataset: it looks every
// input up, exactly and approximately (noise thresholded away), and cannot find one.
import { createHash } from "node:crypto";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";
import { INPUT_SIZE } from "../src/model/dataset.js";
import { ensureModels } from "../src/model/reference.js";
import { probeBuyerWallet } from "../src/probes/buyers.js";
import { probeInputs, shippedDigits } from "../src/probes/inputs.js";
import { DEFAULT_SCHEDULE, periodOf, planPeriod, requestSizes } from "../src/probes/schedule.js";
import { PROBE_SECRET_FILE, loadOrCreateProbeSecret } from "../src/probes/secret.js";
import { createSession, type ModelSession } from "../src/runtime.js";
import { scoreSamples } from "../src/score.js";
import { temporaryDirectory } from "./helpers/chain.js";

const secretOf = (byte: number) => new Uint8Array(32).fill(byte);

/** Pixels below this are taken for noise by the attacker and zeroed before it compares. */
const DENOISE_BELOW = 0.35;

/**
 * Two images closer than this (Euclidean, pixels in [0, 1]) are near-identical: well below how far a digit of the
 * dataset is from its nearest other digit (1.3 at the very least, ~4.6 typically: measured below).
 */
const NEAR_IDENTICAL = 1.5;

const denoised = (image: Float32Array) => image.map((v) => (v < DENOISE_BELOW ? 0 : v));

/** Distance from `image` to its nearest shipped digit (skipping index `skip`). */
function nearestDigit(image: Float32Array, skip = -1): number {
  const digits = shippedDigits();
  let best = Infinity;
  for (let j = 0; j < digits.count; j++) {
    if (j === skip) continue;
    const offset = j * INPUT_SIZE;
    let d = 0;
    for (let i = 0; i < INPUT_SIZE && d < best; i++) {
      const t = image[i]! - digits.images[offset + i]!;
      d += t * t;
    }
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe("probe secret", function () {
  const dir = temporaryDirectory("curia-probe-secret-");
  after(() => dir.remove());

  it("is created once with 32 random bytes, mode 0600, and read back unchanged", function () {
    const first = loadOrCreateProbeSecret(dir.path);
    expect(first.created).to.equal(true);
    expect(first.secret).to.have.length(32);
    expect(statSync(first.path).mode & 0o777).to.equal(0o600);
    const again = loadOrCreateProbeSecret(dir.path);
    expect(again.created).to.equal(false);
    expect(Buffer.from(again.secret).equals(Buffer.from(first.secret))).to.equal(true);
    const other = temporaryDirectory("curia-probe-secret-");
    try {
      expect(Buffer.from(loadOrCreateProbeSecret(other.path).secret).equals(Buffer.from(first.secret))).to.equal(false);
    } finally {
      other.remove();
    }
  });

  it("refuses a secret others can read, and a damaged one", function () {
    const path = join(dir.path, PROBE_SECRET_FILE);
    chmodSync(path, 0o644);
    expect(() => loadOrCreateProbeSecret(dir.path)).to.throw(/readable by others \(mode 0644\).*chmod 600/);
    chmodSync(path, 0o600);
    const kept = readFileSync(path, "utf8");
    writeFileSync(path, "not hex\n", { mode: 0o600 });
    expect(() => loadOrCreateProbeSecret(dir.path)).to.throw(/is not 64 hex characters/);
    writeFileSync(path, kept, { mode: 0o600 });
  });
});

describe("fresh probe inputs", function () {
  let reference: ModelSession;
  let degraded: ModelSession;

  before(async function () {
    const models = ensureModels();
    reference = await createSession(readFileSync(models.reference.path), { executionProvider: "cpu" });
    degraded = await createSession(readFileSync(models.degraded.path), { executionProvider: "cpu" });
  });

  after(async function () {
    await reference?.release();
    await degraded?.release();
  });

  it("are MNIST-shaped and the same for the same secret and tag, different for another secret or tag", function () {
    const a = probeInputs(secretOf(1), "buyer:0", 20);
    expect(a.images).to.have.length(20 * INPUT_SIZE);
    expect(a.images.every((v) => v >= 0 && v <= 1)).to.equal(true);
    expect(Array.from(a.labels).every((l) => l >= 0 && l <= 9)).to.equal(true);
    expect(Buffer.from(probeInputs(secretOf(1), "buyer:0", 20).images.buffer).equals(Buffer.from(a.images.buffer))).to
      .be.true;
    const otherSecret = probeInputs(secretOf(2), "buyer:0", 20);
    const otherTag = probeInputs(secretOf(1), "buyer:1", 20);
    for (const other of [otherSecret, otherTag]) {
      for (let i = 0; i < 20; i++) {
        const x = a.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE);
        const y = other.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE);
        expect(x.some((v, k) => v !== y[k])).to.equal(true);
      }
    }
  });

  it("attack: a provider looks every probe input up in the shipped dataset, exactly and with the noise removed: no hit", function () {
    const digits = shippedDigits();
    const known = new Set<string>();
    for (let j = 0; j < digits.count; j++) {
      const bytes = Buffer.from(digits.images.buffer, digits.images.byteOffset + j * INPUT_SIZE * 4, INPUT_SIZE * 4);
      known.add(createHash("sha256").update(bytes).digest("hex"));
    }
    // What the dataset's own digits look like to this lookup: how far each is from its nearest other digit.
    const withinDataset = Array.from({ length: 40 }, (_, k) => {
      const j = (k * 251) % digits.count;
      return nearestDigit(digits.images.subarray(j * INPUT_SIZE, (j + 1) * INPUT_SIZE), j);
    });
    const raw: number[] = [];
    const clean: number[] = [];
    for (const byte of [3, 4, 5]) {
      const { images } = probeInputs(secretOf(byte), "buyer:0", 15);
      for (let i = 0; i < 15; i++) {
        const image = images.slice(i * INPUT_SIZE, (i + 1) * INPUT_SIZE);
        expect(known.has(createHash("sha256").update(Buffer.from(image.buffer)).digest("hex"))).to.equal(false);
        raw.push(nearestDigit(image));
        clean.push(nearestDigit(denoised(image)));
      }
    }
    expect(Math.min(...raw)).to.be.above(NEAR_IDENTICAL);
    expect(Math.min(...clean)).to.be.above(NEAR_IDENTICAL);
    // Even denoised, a probe is about as far from the dataset as a new handwritten digit would be.
    expect(median(clean)).to.be.above(0.8 * median(withinDataset));
  });

  it("keep the reference model accurate: honest members land within the round's tolerance of each other, a cheat below the minimum", async function () {
    const { toleranceBps, minQualityBps } = LOCAL_VALIDATION.params;
    const honest: number[] = [];
    const cheating: number[] = [];
    let referenceCorrect = 0;
    const secrets = 8;
    const samples = 100; // the service's default --samples
    for (let s = 0; s < secrets; s++) {
      const { images, labels } = probeInputs(secretOf(40 + s), "buyer:0", samples);
      const expected = await reference.run(images, samples);
      const cheap = await degraded.run(images, samples);
      const h = scoreSamples(expected, expected, labels);
      referenceCorrect += h.referenceCorrect;
      honest.push(h.scoreBps);
      cheating.push(scoreSamples(cheap, expected, labels).scoreBps);
    }
    expect(referenceCorrect / (secrets * samples)).to.be.above(0.85);
    expect(Math.min(...honest)).to.be.above(9_300);
    expect(Math.max(...honest) - Math.min(...honest)).to.be.at.most(toleranceBps);
    expect(Math.max(...cheating)).to.be.below(minQualityBps);
  });
});

describe("probe schedule and buyers", function () {
  const PERIOD = 86_400;

  it("plans each period's probes at random times within it, with random sizes, from the secret alone", function () {
    const plan = planPeriod(secretOf(7), 3n, 20_000, PERIOD, DEFAULT_SCHEDULE);
    expect(plan).to.have.length(DEFAULT_SCHEDULE.probesPerPeriod);
    for (const [i, p] of plan.entries()) {
      expect(p.slot).to.equal(i);
      expect(periodOf(p.at, PERIOD)).to.equal(20_000);
      expect(p.size).to.be.within(DEFAULT_SCHEDULE.minSize, DEFAULT_SCHEDULE.maxSize);
      if (i > 0) expect(p.at).to.be.at.least(plan[i - 1]!.at);
    }
    expect(planPeriod(secretOf(7), 3n, 20_000, PERIOD, DEFAULT_SCHEDULE)).to.deep.equal(plan);
    const times = (secret: Uint8Array, listing: bigint, period: number) =>
      planPeriod(secret, listing, period, PERIOD, DEFAULT_SCHEDULE).map((p) => p.at - period * PERIOD);
    expect(times(secretOf(8), 3n, 20_000)).to.not.deep.equal(times(secretOf(7), 3n, 20_000));
    expect(times(secretOf(7), 4n, 20_000)).to.not.deep.equal(times(secretOf(7), 3n, 20_000));
    expect(times(secretOf(7), 3n, 20_001)).to.not.deep.equal(times(secretOf(7), 3n, 20_000));
  });

  it("splits an immediate probe into requests of random sizes within the range", function () {
    const sizes = requestSizes(secretOf(7), "buyer:9", 100, DEFAULT_SCHEDULE);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(100);
    for (const size of sizes.slice(0, -1))
      expect(size).to.be.within(DEFAULT_SCHEDULE.minSize, DEFAULT_SCHEDULE.maxSize);
    expect(new Set(sizes).size).to.be.above(1);
  });

  it("derives every buyer's key from the secret and its index: recoverable, distinct, unrelated across secrets", function () {
    const a = Array.from({ length: 5 }, (_, i) => probeBuyerWallet(secretOf(1), i));
    expect(new Set(a.map((w) => w.address)).size).to.equal(5);
    expect(probeBuyerWallet(secretOf(1), 3).privateKey).to.equal(a[3]!.privateKey);
    expect(probeBuyerWallet(secretOf(2), 3).address).to.not.equal(a[3]!.address);
  });
});
