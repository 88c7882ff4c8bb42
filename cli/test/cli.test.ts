// The real `curia` bin against a locally deployed Curia (the provider tests' hardhat node and deployment helper): a
// provider lists, a consumer buys, a juror stakes and unstakes, every amount printed in CUR, and failures print the
// contract's custom error by name with its arguments (exit 1) or the usage (exit 2).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HDNodeWallet, Wallet, formatEther, parseEther, type TypedDataDomain } from "ethers";
import { inferenceDomain, receiptFromWire, receiptToWire, toDataURI, type StoredReceipt } from "@curia/protocol";
import { signReceipt } from "@curia/protocol/ethers";
import { ProviderCore, curiaNodeHttp } from "../../provider/src/middleware/index.js";
import { verifyReceiptDocument } from "../src/inference.js";
import { CuriaToken__factory, IStakePool__factory, type IStakePool } from "@curia/protocol/ethers";
import { REPO_ROOT, deploySystem, temporaryDirectory, type System } from "../../provider/test/helpers/chain.js";
import { UsageError, formatCur, parseCur } from "../src/format.js";
import { DEFAULT_VALIDATOR_KEYSTORE, HARDHAT_TEST_MNEMONIC, loadWallet } from "../src/keys.js";
import { keyCommand } from "../src/key-commands.js";
import { LOCAL_VALIDATION } from "../../deploy/validation-config.js";

const BIN = join(REPO_ROOT, "cli", "bin", "curia.mjs");
/** Accounts of the provider helpers' deployment: #5 and #7 hold 200,000 CUR with the registry approved. */
const CONSUMER = 7;
const STRANGER = 8;
/** Funded here with CUR and no approval at all: the CLI must approve on its own. */
const NEWCOMER = 9;
/** Funded here too: a validator whose key is imported into a keystore. */
const VALIDATOR = 10;
/** The provider helpers' funded provider, with the registry approved. */
const PROVIDER = 5;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("curia (the command-line tool)", function () {
  const dir = temporaryDirectory("curia-cli-test-");
  let system: System;
  let jurorPool: IStakePool;
  let validatorPool: IStakePool;
  let run: (args: string[], env?: Record<string, string>, stdin?: string) => Promise<Run>;

  before(async function () {
    system = await deploySystem(dir.path);
    const token = CuriaToken__factory.connect(system.record.contracts.CuriaToken!.proxy, system.signer(0));
    for (const account of [NEWCOMER, VALIDATOR, STRANGER])
      await (await token.transfer(system.signer(account).address, parseEther("5000"))).wait();
    validatorPool = IStakePool__factory.connect(system.record.contracts.ValidatorPool!.proxy, system.signer(0));
    jurorPool = IStakePool__factory.connect(system.record.contracts.JurorPool!.proxy, system.signer(0));
    run = (args, env = {}, stdin = "") =>
      new Promise((resolve) => {
        const child = execFile(
          process.execPath,
          [BIN, "--rpc-url", system.chain.url, "--deployment", system.deploymentPath, ...args],
          {
            // The keystore defaults (.curia/validator/keystore.json) are relative to the working directory: a fresh one.
            cwd: dir.path,
            env: {
              ...process.env,
              CURIA_KEY: "",
              CURIA_KEYSTORE: "",
              CURIA_KEYSTORE_PASSWORD: "",
              CURIA_KEYSTORE_PASSWORD_FILE: "",
              ...env,
              NO_COLOR: "1",
            },
            timeout: 120_000,
          },
          (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
            resolve({ code, stdout, stderr });
          },
        );
        child.stdin?.end(stdin);
      });
  });
  after(async function () {
    await system?.stop();
    dir.remove();
  });

  it("formats and parses amounts in CUR with every decimal kept", function () {
    expect(formatCur(parseEther("1250.5"))).to.equal("1,250.5 CUR");
    expect(formatCur(1n)).to.equal("0.000000000000000001 CUR");
    expect(formatCur(parseEther("1000000"))).to.equal("1,000,000 CUR");
    expect(parseCur("1,250.5", "x")).to.equal(parseEther("1250.5"));
    expect(parseCur("0.25 CUR", "x")).to.equal(parseEther("0.25"));
    for (const bad of ["-1", "1,25", "abc", "1.0000000000000000001", ""])
      expect(() => parseCur(bad, "x"), bad).to.throw(/x /);
  });

  let listingId: bigint;

  it("provider list: posts the bond (approving it first) and prints the listing's id, price and bond in CUR", async function () {
    const { minBond } = await system.registry.parameters();
    const result = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "list",
      "--model-hash",
      `0x${"ab".repeat(32)}`,
      "--metadata",
      "data:application/json,{}",
      "--endpoint",
      "http://127.0.0.1:9/",
      "--price",
      "0.5",
    ]);
    expect(result.code, result.stderr).to.equal(0);
    const match = /^listed model 0x(ab){32} as listing (\d+): 0\.5 CUR per call, bond ([\d,.]+ CUR); tx 0x/.exec(
      result.stdout,
    );
    expect(match, result.stdout).to.not.equal(null);
    listingId = BigInt(match![2]!);
    expect(match![3]).to.equal(formatCur(minBond)).and.to.equal("1,000 CUR");
    const listing = await system.registry.getListing(listingId);
    expect(listing.provider).to.equal(system.signer(NEWCOMER).address);
    expect(listing.pricePerCall).to.equal(parseEther("0.5"));
    expect(listing.bond).to.equal(minBond);
  });

  it("a failing call prints the custom error by name with named arguments, enums by name, and exits 1", async function () {
    // Still in its application period: Pending, not for sale.
    const pending = await run(["--dev-account", String(CONSUMER), "consumer", "buy", String(listingId), "2"]);
    expect(pending.code).to.equal(1);
    expect(pending.stderr.trim()).to.equal(`curia: ListingWrongStatus(listingId ${listingId}, status Pending)`);
    expect(pending.stdout).to.equal("");

    const stranger = await run(["--dev-account", String(STRANGER), "provider", "update-price", String(listingId), "2"]);
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr.trim()).to.equal(
      `curia: ListingNotProvider(listingId ${listingId}, caller ${system.signer(STRANGER).address})`,
    );
  });

  it("provider update-price and consumer buy: the cost and the balance print in CUR", async function () {
    const { applicationPeriod } = await system.registry.parameters();
    await system.connection.networkHelpers.time.increase(Number(applicationPeriod) + 1);
    const update = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "update-price",
      String(listingId),
      "1.25",
    ]);
    expect(update.code, update.stderr).to.equal(0);
    expect(update.stdout).to.match(new RegExp(`^listing ${listingId} now costs 1\\.25 CUR per call; tx 0x`));

    const buy = await run(["--dev-account", String(CONSUMER), "consumer", "buy", String(listingId), "3"]);
    expect(buy.code, buy.stderr).to.equal(0);
    expect(buy.stdout).to.match(
      new RegExp(`^bought 3 calls on listing ${listingId} for 3\\.75 CUR \\(1\\.25 CUR per call\\); tx 0x`),
    );
    const consumer = system.signer(CONSUMER).address;
    expect(await system.registry.callsPurchased(listingId, consumer)).to.equal(3n);

    const balance = await run([
      "--dev-account",
      String(CONSUMER),
      "consumer",
      "balance",
      "--listing",
      String(listingId),
    ]);
    expect(balance.code, balance.stderr).to.equal(0);
    expect(balance.stdout).to.equal(`${consumer}: 199,996.25 CUR\ncalls bought on listing ${listingId}: 3\n`);

    // A cap under the price is refused by the contract; the error's amounts print in CUR.
    const capped = await run([
      "--dev-account",
      String(CONSUMER),
      "consumer",
      "buy",
      String(listingId),
      "1",
      "--max-price",
      "1",
    ]);
    expect(capped.code).to.equal(1);
    expect(capped.stderr.trim()).to.equal(
      `curia: ListingPriceAboveMax(listingId ${listingId}, pricePerCall 1.25 CUR, maxPricePerCall 1 CUR)`,
    );
  });

  it("provider update-endpoint and update-metadata: the listing changes on-chain; only its provider may", async function () {
    const endpoint = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "update-endpoint",
      String(listingId),
      "http://127.0.0.1:8700/v2",
    ]);
    expect(endpoint.code, endpoint.stderr).to.equal(0);
    expect(endpoint.stdout).to.match(
      new RegExp(`^listing ${listingId}'s endpoint is now http://127\\.0\\.0\\.1:8700/v2; tx 0x`),
    );
    expect((await system.registry.getListing(listingId)).endpointURI).to.equal("http://127.0.0.1:8700/v2");
    const stranger = await run([
      "--dev-account",
      String(STRANGER),
      "provider",
      "update-metadata",
      String(listingId),
      "data:application/json,{}",
    ]);
    expect(stranger.code).to.equal(1);
    expect(stranger.stderr.trim()).to.equal(
      `curia: ListingNotProvider(listingId ${listingId}, caller ${system.signer(STRANGER).address})`,
    );
  });

  it("provider earnings and exit: withdrawable earnings in CUR; a second exit request is refused by name", async function () {
    const earnings = await run(["--dev-account", String(NEWCOMER), "provider", "earnings"]);
    expect(earnings.code, earnings.stderr).to.equal(0);
    const owed = await system.registry.earningsOf(system.signer(NEWCOMER).address);
    expect(earnings.stdout).to.equal(
      `withdrawable earnings of ${system.signer(NEWCOMER).address}: ${formatCur(owed)}\n`,
    );

    const exit = await run(["--dev-account", String(NEWCOMER), "provider", "exit", String(listingId)]);
    expect(exit.code, exit.stderr).to.equal(0);
    expect(exit.stdout).to.match(new RegExp(`^listing ${listingId}: withdrawal requested; complete it from \\d{4}-`));
    const again = await run(["--dev-account", String(NEWCOMER), "provider", "exit", String(listingId)]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(new RegExp(`^curia: ListingWithdrawalAlreadyRequested\\(listingId ${listingId}, `));
    const early = await run(["--dev-account", String(NEWCOMER), "provider", "exit", String(listingId), "--complete"]);
    expect(early.code).to.equal(1);
    expect(early.stderr).to.match(new RegExp(`^curia: ListingWithdrawalNotReady\\(listingId ${listingId}, `));

    // The bond waits out the withdrawal delay, and the earnings escrow when that ends later.
    const { withdrawableAt } = await system.registry.getListing(listingId);
    await system.connection.networkHelpers.time.increaseTo(Number(withdrawableAt));
    const complete = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "exit",
      String(listingId),
      "--complete",
    ]);
    expect(complete.code, complete.stderr).to.equal(0);
    expect(complete.stdout).to.match(new RegExp(`^listing ${listingId} withdrawn; bond of 1,000 CUR returned; tx 0x`));

    // The provider's part of the 3 calls bought waits in escrow until the contract's error says when it is released.
    const provider = system.signer(NEWCOMER).address;
    const waiting = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "earnings",
      "--listing",
      String(listingId),
    ]);
    expect(waiting.code).to.equal(1);
    const due = new RegExp(`^curia: ListingNothingToRelease\\(listingId ${listingId}, nextReleaseAt (\\d+)\\)$`).exec(
      waiting.stderr.trim(),
    );
    expect(due, waiting.stderr).to.not.equal(null);
    await system.connection.networkHelpers.time.increaseTo(Number(due![1]));
    const released = await run([
      "--dev-account",
      String(NEWCOMER),
      "provider",
      "earnings",
      "--listing",
      String(listingId),
    ]);
    expect(released.code, released.stderr).to.equal(0);
    const share = await system.registry.earningsOf(provider);
    expect(share > 0n && share < parseEther("3.75"), String(share)).to.equal(true);
    expect(released.stdout).to.equal(
      `released listing ${listingId}'s escrowed earnings\nwithdrawable earnings of ${provider}: ${formatCur(share)}\n`,
    );
    const withdraw = await run(["--dev-account", String(NEWCOMER), "provider", "withdraw-earnings"]);
    expect(withdraw.code, withdraw.stderr).to.equal(0);
    expect(withdraw.stdout).to.match(
      new RegExp(`^withdrew ${formatCur(share).replace(/\./g, "\\.")} to ${provider}; tx 0x`),
    );
    expect(await system.registry.earningsOf(provider)).to.equal(0n);
    const nothing = await run(["--dev-account", String(NEWCOMER), "provider", "withdraw-earnings"]);
    expect(nothing.code).to.equal(1);
    expect(nothing.stderr.trim()).to.equal(`curia: ListingNoEarnings(provider ${provider})`);
  });

  it("juror stake (approving first), status, unstake; withdrawing before the thaw fails by name", async function () {
    const juror = system.signer(NEWCOMER).address;
    const { minStake } = await jurorPool.parameters();
    const amount = minStake + parseEther("10");
    const stake = await run(["--dev-account", String(NEWCOMER), "juror", "stake", formatEther(amount)]);
    expect(stake.code, stake.stderr).to.equal(0);
    expect(stake.stdout).to.match(
      new RegExp(
        `^staked ${formatCur(amount).replace(/\./g, "\\.")}; ${juror} now stakes ${formatCur(amount).replace(/\./g, "\\.")}; tx 0x`,
      ),
    );
    expect((await jurorPool.memberOf(juror)).staked).to.equal(amount);

    const unstake = await run(["--dev-account", String(NEWCOMER), "juror", "unstake", "10"]);
    expect(unstake.code, unstake.stderr).to.equal(0);
    expect(unstake.stdout).to.match(/^10 CUR thawing \(10 CUR in all\) until \d{4}-/);

    const status = await run(["--dev-account", String(NEWCOMER), "juror", "status"]);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.include(`  staked        ${formatCur(minStake)}\n`);
    expect(status.stdout).to.include(`  thawing       10 CUR until `);

    const early = await run(["--dev-account", String(NEWCOMER), "juror", "withdraw"]);
    expect(early.code).to.equal(1);
    const { thawEnd } = await jurorPool.memberOf(juror);
    expect(early.stderr.trim()).to.equal(
      `curia: StakePoolNothingToWithdraw(account ${juror}, thawing 10 CUR, thawEnd ${thawEnd})`,
    );
  });

  it("refuses Hardhat's public test accounts on any chain but the local one, and an ill-formed key", async function () {
    expect((await loadWallet({ devAccount: "3" }, 31_337n, null)).address).to.equal(system.signer(3).address);
    const refused = async (options: Parameters<typeof loadWallet>[0], chainId: bigint): Promise<Error> =>
      loadWallet(options, chainId, null, {}).then(
        () => expect.fail("loaded"),
        (error: Error) => error,
      );
    expect((await refused({ devAccount: "3" }, 1n)).message).to.match(
      /allowed only on the local chain \(31337\); this is chain 1\./,
    );
    expect((await refused({ devAccount: "3" }, 11_155_111n)).message).to.match(/this is chain 11155111/);
    const short = await refused({ key: "0x1234" }, 1n);
    expect(short).to.be.instanceOf(UsageError);
    expect(short.message).to.match(/--key must hold a 0x-prefixed 32-byte/);
    const none = await refused({}, 1n);
    expect(none).to.be.instanceOf(UsageError);
    expect(none.message).to.equal("no key: pass --keystore <file>, --key-file <file> or set CURIA_KEY");
    expect((await refused({ key: `0x${"11".repeat(32)}`, devAccount: "1" }, 31_337n)).message).to.match(/only one of/);
  });

  it("signs with a key from --key-file or CURIA_KEY, and never prints it", async function () {
    const wallet = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${CONSUMER}`);
    const keyFile = join(dir.path, "consumer.key");
    writeFileSync(keyFile, `${wallet.privateKey}\n`, { mode: 0o600 });
    for (const result of [
      await run(["--key-file", keyFile, "consumer", "balance"]),
      await run(["consumer", "balance"], { CURIA_KEY: wallet.privateKey }),
    ]) {
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(new RegExp(`^${wallet.address}: [\\d,.]+ CUR\\n$`));
      expect(result.stdout + result.stderr).to.not.include(wallet.privateKey.slice(2));
    }
    const none = await run(["consumer", "balance"]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.match(
      /^curia: no key: pass --keystore <file>, --key-file <file> or set CURIA_KEY, or --dev-account <n>/,
    );
  });

  it("curia validator … runs curia-validator with the chain options passed on", async function () {
    const help = await run(["validator", "--help"]);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: curia-validator <command>/m);
    // curia-validator's register, reached through the deployment and the account curia was given.
    const register = await run(["--dev-account", String(STRANGER), "validator", "register", "--stake", "100"]);
    expect(register.code, register.stderr + register.stdout).to.equal(0);
    expect((await validatorPool.memberOf(system.signer(STRANGER).address)).staked).to.equal(parseEther("100"));
  });

  const PASSWORD = "correct horse battery staple";

  it("validator key new: an encrypted keystore at the default path, its address printed, the key never", async function () {
    const env = { CURIA_KEYSTORE_PASSWORD: PASSWORD };
    const path = join(dir.path, DEFAULT_VALIDATOR_KEYSTORE);
    const made = await keyCommand("new", [], { keystore: path }, env);
    expect(made.text[0]).to.match(new RegExp(`^created keystore ${path.replace(/\./g, "\\.")} for 0x[0-9a-fA-F]{40}$`));
    const json = readFileSync(path, "utf8");
    const parsed = JSON.parse(json) as { Crypto?: { kdf: string }; crypto?: { kdf: string } };
    expect((parsed.Crypto ?? parsed.crypto)?.kdf).to.equal("scrypt");
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    const wallet = await Wallet.fromEncryptedJson(json, PASSWORD);
    expect(made.json).to.deep.equal({ address: wallet.address, keystore: path });
    expect(made.text.join("\n")).to.not.include(wallet.privateKey.slice(2));
    // Never over an existing keystore; a wrong password is said so.
    const again = await keyCommand("new", [], { keystore: path }, env).then(
      () => expect.fail("overwrote"),
      (error: Error) => error.message,
    );
    expect(again).to.match(/exists: curia never overwrites a keystore/);
    const wrong = await loadWallet({ keystore: path }, 31_337n, null, { CURIA_KEYSTORE_PASSWORD: "not it" }).then(
      () => expect.fail("decrypted"),
      (error: Error) => error.message,
    );
    expect(wrong).to.match(/^cannot decrypt keystore .*keystore\.json: incorrect password/);

    // The default keystore (relative to the working directory) is what validator commands sign with.
    const status = await run(["validator", "status"], env);
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.match(new RegExp(`^validator ${wallet.address} \\(not registered`));
    const { minStake, thawingPeriod } = LOCAL_VALIDATION.validatorPool;
    expect(status.stdout).to.include(`  pool minimum  ${formatCur(minStake)}; thawing period ${thawingPeriod} s\n`);
  });

  it("validator key import (stdin, another keystore), then stake, unstake, withdraw, claim signing with it", async function () {
    const account = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${VALIDATOR}`);
    const keystore = join(dir.path, "validator.json");
    const imported = await run(
      ["validator", "key", "import", "--keystore", keystore],
      { CURIA_KEYSTORE_PASSWORD: PASSWORD },
      `${account.privateKey}\n`,
    );
    expect(imported.code, imported.stderr).to.equal(0);
    expect(imported.stdout).to.match(
      new RegExp(`^imported into keystore \\S+validator\\.json for ${account.address}\\n`),
    );
    expect(imported.stdout + imported.stderr).to.not.include(account.privateKey.slice(2));
    const copy = join(dir.path, "copy.json");
    await keyCommand(
      "import",
      [],
      { fromKeystore: keystore, keystore: copy },
      {
        CURIA_IMPORT_PASSWORD: PASSWORD,
        CURIA_KEYSTORE_PASSWORD: "another password",
      },
    );
    expect((await Wallet.fromEncryptedJson(readFileSync(copy, "utf8"), "another password")).address).to.equal(
      account.address,
    );
    const bad = await keyCommand(
      "import",
      [],
      { keystore: join(dir.path, "bad.json") },
      {
        CURIA_KEY: "0x1234",
        CURIA_KEYSTORE_PASSWORD: PASSWORD,
      },
    ).then(
      () => expect.fail("imported"),
      (error: Error) => error,
    );
    expect(bad).to.be.instanceOf(UsageError);
    expect(bad.message).to.equal("the private key must be 0x-prefixed 32-byte hex");
    expect((await keyCommand("address", [], { keystore }, {})).text).to.deep.equal([
      `${account.address} (keystore ${keystore})`,
    ]);

    // The keystore signs; the rest signs as the same account's dev key (each keystore decryption costs a scrypt).
    const stake = await run(["--keystore", keystore, "validator", "stake", "150"], {
      CURIA_KEYSTORE_PASSWORD: PASSWORD,
    });
    const as = (args: string[]) => run(["--dev-account", String(VALIDATOR), ...args]);
    expect(stake.code, stake.stderr).to.equal(0);
    expect(stake.stdout).to.match(
      new RegExp(`^staked 150 CUR; validator ${account.address} now stakes 150 CUR; tx 0x`),
    );
    const unstake = await as(["validator", "unstake", "50"]);
    expect(unstake.code, unstake.stderr).to.equal(0);
    expect(unstake.stdout).to.match(/^50 CUR thawing \(50 CUR in all\) until \d{4}-/);
    const { thawEnd } = await validatorPool.memberOf(account.address);
    await system.connection.networkHelpers.time.increaseTo(Number(thawEnd));
    const withdraw = await as(["validator", "withdraw"]);
    expect(withdraw.code, withdraw.stderr).to.equal(0);
    expect(withdraw.stdout).to.match(/^withdrew 50 CUR; tx 0x/);
    expect((await validatorPool.memberOf(account.address)).staked).to.equal(parseEther("100"));
    const claim = await as(["validator", "claim"]);
    expect(claim.code).to.equal(1);
    expect(claim.stderr.trim()).to.equal(`curia: ValidationNothingToClaim(validator ${account.address})`);
  });

  it("consumer call: a signed request, the answer and its receipt printed and saved; verify-receipt checks it on-chain", async function () {
    // A provider in-process (the middleware of provider/), serving a 4-value task with the listing's own key.
    const providerWallet = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${PROVIDER}`);
    let chainNow = () => Math.floor(Date.now() / 1000);
    const modelHash = `0x${"cd".repeat(32)}`;
    let core: ProviderCore | undefined;
    const server = createServer((request, response) => void handler(request, response));
    let handler: ReturnType<typeof curiaNodeHttp> = async () => {};
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const listingId = await system.createActiveListing(system.signer(PROVIDER), modelHash, "data:,{}", endpoint);
      core = new ProviderCore({
        domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()) as TypedDataDomain,
        listings: [{ listingId, modelHash }],
        servingKey: providerWallet,
        callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
        inputSize: 4,
        chainNow: () => chainNow(),
      });
      // Each input's sum and its negative.
      handler = curiaNodeHttp(core, ({ inputs, count }) => {
        const out = new Float32Array(count * 2);
        for (let i = 0; i < count; i++) {
          const sum = inputs.subarray(i * 4, i * 4 + 4).reduce((a, b) => a + b, 0);
          out.set([sum, -sum], i * 2);
        }
        return out;
      });
      const consumer = system.signer(CONSUMER);
      await (await system.registry.connect(consumer).purchase(listingId, 3n, consumer.address, parseEther("1"))).wait();
      // The provider dates receipts as the CLI checks them: the latest block's time plus the wall time since (the
      // chain runs ahead of the wall clock here, moved by earlier tests and one-second steps per block).
      const latest = (await system.connection.ethers.provider.getBlock("latest"))!.timestamp;
      const readAt = Date.now() / 1000;
      chainNow = () => Math.floor(latest + Date.now() / 1000 - readAt);

      const input = join(dir.path, "input.json");
      writeFileSync(input, "[[1, 2, 3, 4], [0.5, 0, 0, 0]]");
      const receipts = join(dir.path, "receipts");
      const copy = join(dir.path, "receipt.json");
      const call = await run([
        "--dev-account",
        String(CONSUMER),
        "consumer",
        "call",
        String(listingId),
        "--input",
        input,
        "--receipts-dir",
        receipts,
        "--receipt-out",
        copy,
      ]);
      expect(call.code, call.stderr).to.equal(0);
      const lines = call.stdout.split("\n");
      expect(lines.slice(0, 3)).to.deep.equal([
        `listing ${listingId} answered 4 values:`,
        "  [10, -10]  (largest: #0)",
        "  [0.5, -0.5]  (largest: #0)",
      ]);
      const digest = /^receipt (0x[0-9a-f]{64}), signed by the listing's serving key:$/.exec(lines[3]!)?.[1];
      expect(digest, call.stdout).to.not.equal(undefined);
      expect(call.stdout).to.include(`  model ${modelHash}; caller ${consumer.address}; nonce `);
      expect(call.stdout).to.include(`saved to ${join(receipts, `${digest}.json`)} and ${copy}`);
      const saved = JSON.parse(readFileSync(join(receipts, `${digest}.json`), "utf8")) as StoredReceipt;
      expect(JSON.parse(readFileSync(copy, "utf8"))).to.deep.equal(saved);
      expect(saved.digest).to.equal(digest);
      expect(core.requestsServed).to.equal(1);

      const valid = await run(["consumer", "verify-receipt", copy]);
      expect(valid.code, valid.stderr).to.equal(0);
      expect(valid.stdout).to.equal(
        `valid: receipt ${digest} of listing ${listingId}, signed by its serving key ${providerWallet.address} ` +
          `(served at ${new Date(Number(saved.receipt.servedAt) * 1000).toISOString()})\n`,
      );

      // The same receipt signed by another key: invalid, exit 1.
      const { receipt } = receiptFromWire(saved.receipt);
      const domain = inferenceDomain(system.record.chainId, await system.registry.getAddress()) as TypedDataDomain;
      const stranger = HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, `m/44'/60'/0'/0/${STRANGER}`);
      const forged = join(dir.path, "forged.json");
      writeFileSync(
        forged,
        JSON.stringify({ ...saved, receipt: receiptToWire(receipt, await signReceipt(stranger, domain, receipt)) }),
      );
      const invalid = await run(["consumer", "verify-receipt", forged]);
      expect(invalid.code).to.equal(1);
      expect(invalid.stdout).to.equal(
        `invalid: signed by ${stranger.address}, which was never listing ${listingId}'s serving key\n`,
      );
      // An output that is not the one signed, and a malformed receipt, in-process.
      const check = (doc: unknown) =>
        verifyReceiptDocument(doc, system.registry, BigInt(system.record.chainId), domain.verifyingContract as string);
      expect(await check({ ...saved, outputURI: toDataURI(new Uint8Array(8)) })).to.include({
        valid: false,
        reason: "the file's output is not the one the receipt signs (outputHash differs)",
      });
      expect(await check({ receipt: { ...saved.receipt, nonce: "x" } })).to.deep.equal({
        valid: false,
        reason: "malformed: receipt.nonce is malformed",
      });
      // A bare signed receipt (no input or output in the file) is checked as far as it goes.
      const bare = await check(saved.receipt);
      expect(bare.valid).to.equal(true);
      expect(bare.valid && bare.notes).to.deep.equal([
        "the file carries no input: its hash is not checked",
        "the file carries no output: its hash is not checked",
      ]);
    } finally {
      server.close();
    }
  });

  it("bad arguments print the usage and exit 2 before reaching the chain", async function () {
    for (const args of [
      ["--dev-account", String(CONSUMER), "juror", "stake", "lots"],
      ["--dev-account", String(CONSUMER), "consumer", "buy", "1"],
      ["--dev-account", String(CONSUMER), "consumer", "fly"],
      ["--dev-account", String(CONSUMER), "--no-such-option", "consumer", "balance"],
      ["--dev-account", String(CONSUMER), "provider", "list", "--model-hash", "0x12", "--price", "1"],
      // No password and no terminal to ask on.
      ["validator", "key", "new", "--keystore", join(dir.path, "unused.json")],
    ]) {
      const result = await run(args);
      expect(result.code, args.join(" ")).to.equal(2);
      expect(result.stderr, args.join(" ")).to.match(/^curia: .+\n/);
      expect(result.stderr, args.join(" ")).to.include("Usage: curia [options] <role> <command>");
    }
  });
});
