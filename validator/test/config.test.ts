// Configuration: flags over environment over the config file over defaults, and a clear error for every bad value.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { Wallet, encryptKeystoreJsonSync } from "ethers";
import { ConfigError, parseConfig } from "../src/config.js";
import {
  DEFAULT_PROBE_FUNDING_DEV_ACCOUNT,
  assertDevChain,
  devAccount,
  keystoreAccount,
  probeFundingAccount,
} from "../src/keys.js";
import { ProbeFunder } from "../src/probes/buyers.js";
import { temporaryDirectory } from "./helpers/chain.js";

describe("validator configuration", function () {
  const dir = temporaryDirectory("curia-config-test-");
  after(() => dir.remove());

  it("takes flags over environment over the config file over defaults", function () {
    const file = join(dir.path, "config.json");
    writeFileSync(file, JSON.stringify({ rpcUrl: "http://file:1", samples: 50, listing: ["4"], metricsPort: 9100 }));
    const env = { CURIA_RPC_URL: "http://env:2", CURIA_METRICS_PORT: "9200" };
    const { command, config } = parseConfig(["run", "--config", file, "--metrics-port", "9300"], env);
    expect(command).to.equal("run");
    expect(config.rpcUrl).to.equal("http://env:2");
    expect(config.metricsPort).to.equal(9300);
    expect(config.samples).to.equal(50);
    expect(config.listings).to.deep.equal([4n]);
    expect(config.deployment).to.equal("localhost");
    expect(config.keeper).to.equal(true);
    const defaults = parseConfig(["status"], {}).config;
    expect(defaults.rpcUrl).to.equal("http://127.0.0.1:8545");
    expect(defaults.samples).to.equal(100);
  });

  it("configures probes: schedule, sizes, gas, listings and the funding account, with refusals", function () {
    const defaults = parseConfig(["run"], {}).config;
    expect(defaults.probeSchedule).to.deep.equal({
      probesPerPeriod: 12,
      minSize: 4,
      maxSize: 16,
      latenessSeconds: 900,
    });
    expect([defaults.probeGas, defaults.probeListings, defaults.probeFundingDevAccount]).to.deep.equal([
      400_000,
      [],
      undefined,
    ]);
    const file = join(dir.path, "probes.json");
    writeFileSync(file, JSON.stringify({ probesPerPeriod: 3, probeSize: "2-5", probeListing: ["7"] }));
    const password = join(dir.path, "funding-password");
    writeFileSync(password, "hunter2\n");
    const set = parseConfig(
      ["run", "--config", file, "--probe-lateness", "60", "--probe-funding-keystore", "funding.json"],
      { CURIA_PROBE_FUNDING_PASSWORD_FILE: password },
    ).config;
    expect(set.probeSchedule).to.deep.equal({ probesPerPeriod: 3, minSize: 2, maxSize: 5, latenessSeconds: 60 });
    expect(set.probeListings).to.deep.equal([7n]);
    expect([set.probeFundingKeystore, set.probeFundingPassword]).to.deep.equal(["funding.json", "hunter2"]);
    expect(parseConfig(["run"], { CURIA_PROBE_FUNDING_DEV_ACCOUNT: "21" }).config.probeFundingDevAccount).to.equal(21);
  });

  it("configures the audit server and the receipt checks: defaults, flags, environment, refusals", function () {
    const defaults = parseConfig(["run"], {}).config;
    expect(defaults.audits).to.equal(true);
    expect(defaults.auditPort).to.equal(undefined); // 9465, or any free port when it is taken
    expect(defaults.auditHost).to.equal("127.0.0.1");
    expect(defaults.minAudits).to.equal(20);
    expect(defaults.auditCap).to.equal(1000);
    expect(defaults.maxPublicationBytes).to.equal(8 * 1024 * 1024);
    const set = parseConfig(["run", "--no-audits", "--audit-port", "0", "--min-audits", "5", "--audit-cap", "7"], {
      CURIA_AUDIT_PORT: "9999",
    }).config;
    expect([set.audits, set.auditPort, set.minAudits, set.auditCap]).to.deep.equal([false, 0, 5, 7]);
    expect(parseConfig(["run"], { CURIA_AUDIT_PORT: "9999" }).config.auditPort).to.equal(9999);
    expect(() => parseConfig(["run", "--min-audits", "0"], {})).to.throw(
      ConfigError,
      /--min-audits must be an integer/,
    );
    expect(() => parseConfig(["run", "--audit-port", "70000"], {})).to.throw(ConfigError, /--audit-port/);
  });

  it("files fraud proofs only when asked, with the bond given (flag or config file) or the governed minimum", function () {
    const defaults = parseConfig(["run"], {}).config;
    expect(defaults.fileFraudProofs).to.equal(false);
    expect(defaults.fraudProofBond).to.equal(undefined);
    const flagged = parseConfig(["run", "--file-fraud-proofs", "--fraud-proof-bond", "150"], {}).config;
    expect([flagged.fileFraudProofs, flagged.fraudProofBond]).to.deep.equal([true, 150n * 10n ** 18n]);
    const file = join(dir.path, "filer.json");
    writeFileSync(file, JSON.stringify({ fileFraudProofs: true, fraudProofBond: "200" }));
    const filed = parseConfig(["run", "--config", file], {}).config;
    expect([filed.fileFraudProofs, filed.fraudProofBond]).to.deep.equal([true, 200n * 10n ** 18n]);
    expect(() => parseConfig(["run", "--file-fraud-proofs", "--fraud-proof-bond", "0"], {})).to.throw(
      ConfigError,
      /--fraud-proof-bond must be positive/,
    );
    expect(() => parseConfig(["run", "--fraud-proof-bond", "100"], {})).to.throw(ConfigError, /pass both/);
    writeFileSync(file, JSON.stringify({ fileFraudProofs: "yes" }));
    expect(() => parseConfig(["run", "--config", file], {})).to.throw(
      ConfigError,
      /fileFraudProofs must be true or false/,
    );
  });

  it("parses dev accounts, model URIs and stakes", function () {
    const { config } = parseConfig(
      [
        "run",
        "--dev-account",
        "11,12",
        "--model-uri",
        "3=ipfs://cid/model.onnx",
        "--model-uri",
        "file:///m.onnx",
        "--stake",
        "250.5",
      ],
      {},
    );
    expect(config.devAccounts).to.deep.equal([11, 12]);
    expect(config.modelURIs).to.deep.equal({ "3": "ipfs://cid/model.onnx", "*": "file:///m.onnx" });
    expect(config.stake).to.equal(250_500_000_000_000_000_000n);
  });

  it("parses per-task sample counts (the Verifier takes them for that task's listings)", function () {
    const { config } = parseConfig(["run", "--task-samples", "vad=12", "--task-samples", "ocr=16"], {});
    expect(config.taskSamples).to.deep.equal({ vad: 12, ocr: 16 });
    expect(parseConfig(["run"], {}).config.taskSamples).to.deep.equal({});
  });

  describe("refuses", function () {
    const refuses = (argv: string[], message: string, env: NodeJS.ProcessEnv = {}) =>
      expect(() => parseConfig(argv, env))
        .to.throw(ConfigError)
        .with.property("message")
        .that.contains(message);

    it("unknown flags and bad values, naming where they came from", function () {
      refuses(["run", "--bogus"], "Unknown option '--bogus'");
      refuses(["run", "--samples", "0"], "--samples must be an integer from 1 to 2000");
      refuses(["run", "--task-samples", "speech=8"], "--task-samples takes <task>=<n> with a task of mnist, vad, ocr");
      refuses(["run", "--task-samples", "vad=0"], "--task-samples takes <task>=<n>");
      refuses(["run"], "CURIA_METRICS_PORT must be an integer from 0 to 65535", { CURIA_METRICS_PORT: "http" });
      refuses(["run", "--rpc-url", "localhost:8545"], "the RPC URL must be http(s)://");
      refuses(["run", "--execution-provider", "tpu"], "--execution-provider must be one of auto, cuda, cpu");
      refuses(["run", "--dev-account", "x"], "--dev-account takes account indices");
      refuses(["run", "--listing", "0"], "--listing takes listing ids");
      refuses(["run", "--stake", "lots"], "--stake must be an amount of CUR");
      refuses(["run", "--keystore", "k.json", "--dev-account", "1"], "either --keystore or --dev-account");
      refuses(["run", "--probe-size", "9-3"], "--probe-size takes <min>-<max> calls per request");
      refuses(["run", "--probe-size", "0"], "--probe-size takes <min>-<max> calls per request");
      refuses(["run", "--probes-per-period", "many"], "--probes-per-period must be an integer from 0");
      refuses(["run", "--probe-listing", "x"], "--probe-listing takes listing ids");
      refuses(
        ["run", "--probe-funding-keystore", "k.json", "--probe-funding-dev-account", "20"],
        "either --probe-funding-keystore or --probe-funding-dev-account",
      );
    });

    it("a config file that is missing, not JSON, or has unknown keys", function () {
      refuses(["run", "--config", join(dir.path, "none.json")], "does not exist");
      const broken = join(dir.path, "broken.json");
      writeFileSync(broken, "{ not json");
      refuses(["run", "--config", broken], "is not valid JSON");
      const unknown = join(dir.path, "unknown.json");
      writeFileSync(unknown, JSON.stringify({ rpcURL: "http://x" }));
      refuses(["run", "--config", unknown], "unknown key(s) rpcURL");
    });
  });

  it("loads an encrypted keystore and refuses a wrong password; dev accounts only on the local chain", async function () {
    const wallet = Wallet.createRandom();
    const path = join(dir.path, "key.json");
    const account = { address: wallet.address, privateKey: wallet.privateKey };
    writeFileSync(path, encryptKeystoreJsonSync(account, "correct horse", { scrypt: { N: 1024 } }));
    const loaded = await keystoreAccount(path, "correct horse", null);
    expect(loaded.wallet.address).to.equal(wallet.address);
    expect(loaded.label).to.equal(`keystore ${path}`);
    let error: Error | undefined;
    await keystoreAccount(path, "wrong", null).catch((e: Error) => (error = e));
    expect(error?.message).to.contain(`cannot decrypt keystore ${path}`);
    await keystoreAccount(path, undefined, null).catch((e: Error) => (error = e));
    expect(error?.message).to.contain("needs a password");

    expect(devAccount(0, null).wallet.address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(devAccount(0, null).label).to.contain("Hardhat test account #0 (public key, development only)");
    expect(() => assertDevChain(1)).to.throw("allowed only on the local chain (31337)");
    expect(() => assertDevChain(31_337)).to.not.throw();
  });

  it("finds the probe-funding account: keystore, environment key, dev account on the local chain only", async function () {
    const wallet = Wallet.createRandom();
    const path = join(dir.path, "funding.json");
    writeFileSync(
      path,
      encryptKeystoreJsonSync({ address: wallet.address, privateKey: wallet.privateKey }, "pw", {
        scrypt: { N: 1024 },
      }),
    );
    const fromKeystore = await probeFundingAccount({ keystore: path, password: "pw" }, 1, null);
    expect(fromKeystore.wallet.address).to.equal(wallet.address);
    const fromEnv = await probeFundingAccount({ envKey: wallet.privateKey }, 1, null);
    expect(fromEnv.wallet.address).to.equal(wallet.address);
    expect(fromEnv.label).to.contain("CURIA_PROBE_FUNDING_KEY");
    const local = await probeFundingAccount({}, 31_337, null);
    expect(local.wallet.address).to.equal(devAccount(DEFAULT_PROBE_FUNDING_DEV_ACCOUNT, null).wallet.address);
    expect(local.label).to.contain(`Hardhat test account #${DEFAULT_PROBE_FUNDING_DEV_ACCOUNT} (public key`);
    const refused = (settings: Parameters<typeof probeFundingAccount>[0], chainId: number) =>
      probeFundingAccount(settings, chainId, null).then(
        () => "",
        (error: Error) => error.message,
      );
    expect(await refused({}, 1)).to.match(/no probe-funding account on chain 1: pass --probe-funding-keystore/);
    expect(await refused({ devAccount: 20 }, 1)).to.contain("allowed only on the local chain");
    expect(await refused({ envKey: "0x1234" }, 1)).to.contain("CURIA_PROBE_FUNDING_KEY must be");
    // Never the validator's own key: probes funded from the registered address are linked to it.
    const funder = new ProbeFunder(devAccount(11, null).wallet, "test", Wallet.createRandom().address);
    expect(() => funder.assertNotValidator([devAccount(11, null).wallet.address])).to.throw(/is the validator key/);
    expect(() => funder.assertNotValidator([devAccount(12, null).wallet.address])).to.not.throw();
  });
});
