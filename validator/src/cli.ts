// `curia-validator`: register, run, verify, check-receipt, status, model. See USAGE in config.ts and validator/README.md.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { formatEther, type JsonRpcProvider } from "ethers";
import { inferenceDomain } from "@curia/protocol";
import { ChainClock, connectRpc } from "@curia/protocol/ethers";
import { AuditServer, AuditStore } from "./audits.js";
import { connectContracts, readAddresses, type CuriaAddresses } from "./chain.js";
import { InferenceClient } from "./client.js";
import { DEFAULT_KEYSTORE } from "./defaults.js";
import { ConfigError, DEFAULT_AUDIT_PORT, USAGE, parseConfig, type ValidatorConfig } from "./config.js";
import {
  DEV_CHAIN_ID,
  assertDevChain,
  devAccount,
  keystoreAccount,
  probeFundingAccount,
  type LoadedKey,
} from "./keys.js";
import { ProbeFunder, ProbeFundingError } from "./probes/buyers.js";
import { filedFraudProofOf, judgeAnswer, type AnswerVerdict } from "./fraud.js";
import { createLogger, type Logger } from "./log.js";
import { ValidatorMetrics } from "./metrics.js";
import { ensureModels } from "./model/reference.js";
import { listingKeysOf } from "./receipts.js";
import { ValidatorService } from "./service.js";
import { StateStore } from "./state.js";
import { Verifier, type ModelFileReport, type VerificationReport } from "./verify.js";

interface Context {
  addresses: CuriaAddresses;
  provider: JsonRpcProvider;
  keys: LoadedKey[];
}

async function connect(config: ValidatorConfig, needKey: boolean): Promise<Context> {
  const addresses = readAddresses(config.deployment);
  const provider = await connectRpc(config.rpcUrl, addresses, Math.min(config.pollMs, 1000));
  const keys: LoadedKey[] = [];
  if (config.devAccounts.length > 0) {
    assertDevChain(addresses.chainId);
    for (const index of config.devAccounts) keys.push(devAccount(index, provider));
  } else if (config.keystore !== undefined) {
    keys.push(await keystoreAccount(config.keystore, config.password, provider));
  } else if (existsSync(DEFAULT_KEYSTORE)) {
    // What `curia validator key new` wrote: a validator set up with the defaults needs no --keystore.
    keys.push(await keystoreAccount(DEFAULT_KEYSTORE, config.password, provider));
  } else if (needKey) {
    provider.destroy();
    throw new ConfigError(
      `no key: pass --keystore <file> (password in CURIA_KEYSTORE_PASSWORD or --password-file; ` +
        `\`curia validator key new\` makes one at ${DEFAULT_KEYSTORE}, used by default)` +
        (addresses.chainId === DEV_CHAIN_ID ? `, or --dev-account <index> on this local chain` : ""),
    );
  }
  return { addresses, provider, keys };
}

function verifierFor(config: ValidatorConfig, log: Logger, progress: boolean): Verifier {
  return new Verifier({
    fetch: { ipfsGateway: config.ipfsGateway },
    samples: config.samples,
    taskSamples: config.taskSamples,
    batchSize: config.batchSize,
    executionProvider: config.executionProvider,
    score: config.score,
    log,
    progress,
    modelURIs: config.modelURIs,
  });
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function printListingReport(r: VerificationReport): void {
  console.log(`Listing ${r.listingId} — verification report`);
  console.log(`  endpoint            ${r.endpoint}`);
  console.log(`  model               ${r.modelURI}`);
  console.log(`  model hash          ${r.modelHash} (SHA-256 of the file: matches the listing)`);
  console.log(`  execution provider  ${r.executionProvider}`);
  console.log(`  samples             ${r.samples} held-out digits (seed: round ${r.roundId})`);
  console.log(
    `  agreement           ${pct(r.agreement)} (${r.agreeing}/${r.samples} within the tolerance band; max |Δp| ${r.maxAbsDiff.toExponential(2)})`,
  );
  console.log(
    `  provider accuracy   ${pct(r.accuracy)} (${r.correct}/${r.samples}); reference ${pct(r.referenceAccuracy)}`,
  );
  if (r.malformed > 0) console.log(`  malformed outputs   ${r.malformed}`);
  console.log(`  score               ${r.scoreBps} bps`);
  const t = r.timings;
  console.log(
    `  time                ${t.totalMs.toFixed(0)} ms (model ${t.modelMs.toFixed(0)}, provider ${t.providerMs.toFixed(0)}, ` +
      `reference ${t.referenceMs.toFixed(1)}, score ${t.scoreMs.toFixed(1)})`,
  );
}

function printModelReport(r: ModelFileReport): void {
  console.log(`Model file ${r.path}`);
  console.log(`  model hash          ${r.modelHash} (SHA-256 of the file)`);
  console.log(`  execution provider  ${r.executionProvider}`);
  console.log(`  accuracy            ${pct(r.accuracy)} on ${r.samples} held-out digits`);
  console.log(
    `  throughput          ${Math.round(r.inferencesPerSecond).toLocaleString("en-US")} inferences/s (one batch)`,
  );
}

async function commandVerify(config: ValidatorConfig, target: string | undefined, log: Logger): Promise<void> {
  if (target === undefined)
    throw new ConfigError("verify needs a listing id or a model file: curia-validator verify <listingId | model.onnx>");
  const verifier = verifierFor(config, log, !config.json);
  try {
    if (!/^\d+$/.test(target)) {
      const report = await verifier.verifyModelFile(target);
      if (config.json) console.log(JSON.stringify(report, null, 2));
      else printModelReport(report);
      return;
    }
    const listingId = BigInt(target);
    const { addresses, provider, keys } = await connect(config, true);
    try {
      const key = keys[0]!;
      log.info(`verifying listing ${listingId} as ${key.wallet.address} (${key.label})`);
      const { registry, token } = connectContracts(addresses, key.wallet);
      if (listingId === 0n || listingId > (await registry.listingCount()))
        throw new Error(`listing ${listingId} does not exist`);
      const listing = await registry.getListing(listingId);
      if (config.buyCalls) {
        const cost = listing.pricePerCall * BigInt(config.samples);
        if ((await token.allowance(key.wallet.address, addresses.registry)) < cost) {
          await (await token.approve(addresses.registry, cost)).wait();
        }
        await (await registry.purchase(listingId, config.samples, key.wallet.address, listing.pricePerCall)).wait();
        log.info(`bought ${config.samples} calls for ${formatEther(cost)} CUR`);
      }
      const clock = await ChainClock.start(provider, 0);
      const client = new InferenceClient(
        key.wallet,
        inferenceDomain(addresses.chainId, addresses.registry),
        listingKeysOf(registry),
        { log, chainNow: () => clock.now() },
      );
      const report = await verifier.verifyListing(
        {
          listingId,
          endpoint: listing.endpointURI,
          modelHash: listing.modelHash,
          metadataURI: listing.metadataURI,
          roundId: config.round,
        },
        client,
      );
      if (config.json) console.log(JSON.stringify(report, null, 2));
      else printListingReport(report);
    } finally {
      provider.destroy();
    }
  } finally {
    await verifier.close();
  }
}

async function commandCheckReceipt(config: ValidatorConfig, target: string | undefined, log: Logger): Promise<void> {
  if (target === undefined || !/^\d+$/.test(target))
    throw new ConfigError(`check-receipt needs a dispute id: curia-validator check-receipt <disputeId>`);
  const disputeId = BigInt(target);
  const { addresses, provider, keys } = await connect(config, false);
  const verifier = verifierFor(config, log, false);
  try {
    const { challenges, registry } = connectContracts(addresses, provider);
    const [event] = await challenges.queryFilter(
      challenges.filters.FraudProofFiled(disputeId),
      addresses.challengesStartBlock,
    );
    if (event === undefined) throw new Error(`dispute ${disputeId} is not a fraud proof filed on ListingChallenges`);
    const proof = filedFraudProofOf(event.args);
    const listing = await registry.getListing(proof.listingId);
    const verdict: AnswerVerdict = await judgeAnswer(
      proof,
      { listingId: proof.listingId, modelHash: listing.modelHash, metadataURI: listing.metadataURI },
      verifier,
      { ipfsGateway: config.ipfsGateway, maxBytes: config.maxPublicationBytes },
      await verifier.taskOf({ listingId: proof.listingId, metadataURI: listing.metadataURI }),
    );
    const out = {
      disputeId: disputeId.toString(),
      listingId: proof.listingId.toString(),
      filer: proof.filer,
      receiptDigest: proof.receiptDigest,
      ...verdict,
      maxDeviation:
        verdict.maxDeviation === null || Number.isFinite(verdict.maxDeviation) ? verdict.maxDeviation : "Infinity",
      validator: keys[0]?.wallet.address ?? null,
    };
    if (config.json) console.log(JSON.stringify(out, null, 2));
    else {
      console.log(`Fraud proof ${out.disputeId} on listing ${out.listingId} (filed by ${out.filer})`);
      console.log(`  verdict        ${verdict.fraud ? "FRAUD" : "no fraud"} (${verdict.outcome})`);
      console.log(`  reason         ${verdict.reason}`);
      console.log(`  inputs         ${verdict.inputs} re-executed, ${verdict.withinTolerance} within the band`);
      console.log(`  max deviation  ${out.maxDeviation ?? "n/a"} (tolerance ${verdict.tolerance})`);
    }
  } finally {
    await verifier.close();
    provider.destroy();
  }
}

async function commandRegister(config: ValidatorConfig, log: Logger): Promise<void> {
  const { addresses, provider, keys } = await connect(config, true);
  try {
    for (const key of keys) {
      const { validatorPool } = connectContracts(addresses, key.wallet);
      const stake = config.stake ?? (await validatorPool.parameters()).minStake;
      log.info(`registering ${key.wallet.address} (${key.label}) with ${formatEther(stake)} CUR`);
      const service = new ValidatorService({
        wallet: key.wallet,
        keyLabel: key.label,
        addresses,
        provider,
        verifier: verifierFor(config, log, false),
        state: new StateStore(config.stateDir, key.wallet.address),
        metrics: new ValidatorMetrics(),
        log,
        keeper: false,
        listings: [],
        pollMs: config.pollMs,
        devChain: false,
      });
      await service.ensureRegistered(stake);
    }
  } finally {
    provider.destroy();
  }
}

async function commandStatus(config: ValidatorConfig): Promise<void> {
  const { addresses, provider, keys } = await connect(config, true);
  try {
    const out = [];
    for (const key of keys) {
      const { validation, validatorPool, token } = connectContracts(addresses, key.wallet);
      const [info, rewards, [weight, totalWeight], balance, params] = await Promise.all([
        validatorPool.memberOf(key.wallet.address),
        validation.rewardsOf(key.wallet.address),
        validatorPool.drawWeight(key.wallet.address),
        token.balanceOf(key.wallet.address),
        validatorPool.parameters(),
      ]);
      const pending = new StateStore(config.stateDir, key.wallet.address).pending();
      const row = {
        address: key.wallet.address,
        key: key.label,
        registered: info.staked > 0n,
        staked: formatEther(info.staked),
        thawing: formatEther(info.thawing),
        locked: formatEther(info.locked),
        thawEnd: Number(info.thawEnd),
        rewards: formatEther(rewards),
        drawWeight: `${weight}/${totalWeight}`,
        curBalance: formatEther(balance),
        minStake: formatEther(params.minStake),
        pendingRounds: pending.map(String),
      };
      out.push(row);
      if (!config.json) {
        console.log(`Validator ${row.address} (${row.key})`);
        console.log(
          `  registered ${row.registered}; staked ${row.staked} CUR, thawing ${row.thawing}, locked ${row.locked}`,
        );
        console.log(`  rewards ${row.rewards} CUR; draw weight ${row.drawWeight}; wallet ${row.curBalance} CUR`);
        console.log(
          `  rounds pending in ${config.stateDir}: ${row.pendingRounds.length > 0 ? row.pendingRounds.join(", ") : "none"}`,
        );
      }
    }
    if (config.json) console.log(JSON.stringify(out, null, 2));
  } finally {
    provider.destroy();
  }
}

async function commandRun(config: ValidatorConfig, log: Logger): Promise<void> {
  const { addresses, provider, keys } = await connect(config, true);
  const metrics = new ValidatorMetrics();
  const verifier = verifierFor(config, log, false);
  const devChain = addresses.chainId === DEV_CHAIN_ID;
  const publication = { ipfsGateway: config.ipfsGateway, maxBytes: config.maxPublicationBytes };
  // The account that funds probe buyers, checked against every validator key of this process before anything runs.
  let funding: LoadedKey;
  try {
    funding = await probeFundingAccount(
      {
        ...(config.probeFundingKeystore !== undefined ? { keystore: config.probeFundingKeystore } : {}),
        ...(config.probeFundingPassword !== undefined ? { password: config.probeFundingPassword } : {}),
        ...(config.probeFundingDevAccount !== undefined ? { devAccount: config.probeFundingDevAccount } : {}),
        ...(process.env.CURIA_PROBE_FUNDING_KEY !== undefined ? { envKey: process.env.CURIA_PROBE_FUNDING_KEY } : {}),
      },
      addresses.chainId,
      provider,
    );
  } catch (error) {
    provider.destroy();
    throw new ConfigError((error as Error).message);
  }
  const funder = new ProbeFunder(funding.wallet, funding.label, addresses.token);
  try {
    funder.assertNotValidator(keys.map((k) => k.wallet.address));
  } catch (error) {
    provider.destroy();
    if (error instanceof ProbeFundingError) throw new ConfigError(error.message);
    throw error;
  }
  log.info(`probe buyers funded by ${funder.address} (${funding.label})`);
  const auditStore = config.audits
    ? new AuditStore(join(config.stateDir, keys[0]!.wallet.address.toLowerCase()), config.auditCap)
    : undefined;
  const services = keys.map(
    (key, i) =>
      new ValidatorService({
        wallet: key.wallet,
        keyLabel: key.label,
        addresses,
        provider,
        verifier,
        state: new StateStore(config.stateDir, key.wallet.address),
        metrics,
        log: log.child({ validator: key.wallet.address }),
        keeper: config.keeper && i === 0, // one keeper per process is enough
        // One filer per process: two keys would race to file the same receipt.
        ...(config.fileFraudProofs && i === 0
          ? { fileFraudProofs: config.fraudProofBond !== undefined ? { bond: config.fraudProofBond } : {} }
          : {}),
        listings: config.listings,
        pollMs: config.pollMs,
        devChain,
        probes: {
          funder,
          schedule: config.probeSchedule,
          ...(config.probeListings.length > 0 ? { listings: config.probeListings } : {}),
          gasPerBuyer: BigInt(config.probeGas),
        },
        publication,
        ...(auditStore !== undefined ? { audits: { store: auditStore, minAudits: config.minAudits } } : {}),
        ...(process.env.CURIA_VALIDATOR_FAULT !== undefined ? { fault: process.env.CURIA_VALIDATOR_FAULT } : {}),
      }),
  );
  for (const service of services) await service.ensureRegistered(config.stake);
  const metricsUrl = await metrics.listen(config.metricsPort, config.metricsHost);
  // One audit server per process, storing under the first key's state dir; every key's service scores from it.
  let auditServer: AuditServer | undefined;
  let auditUrl = "off";
  if (auditStore !== undefined) {
    const auditRegistry = connectContracts(addresses, provider).registry;
    auditServer = new AuditServer({
      store: auditStore,
      domain: inferenceDomain(addresses.chainId, addresses.registry),
      keys: listingKeysOf(auditRegistry),
      publication,
      log: log.child({ component: "audits" }),
      // The listing's task (from its metadata, as the verifier reads it) decides the shapes an audit must have.
      taskOf: async (listingId) =>
        verifier.taskOf({ listingId, metadataURI: (await auditRegistry.getListing(listingId)).metadataURI }),
    });
    let url: string;
    try {
      url = await auditServer.listen(config.auditPort ?? DEFAULT_AUDIT_PORT, config.auditHost);
    } catch (error) {
      // The default port is a convenience: when it is taken (another validator on this machine), any free one will do.
      if (config.auditPort !== undefined || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      url = await auditServer.listen(0, config.auditHost);
      log.warn(`audit port ${DEFAULT_AUDIT_PORT} is taken: audits on ${url}/audits`);
    }
    auditUrl = `${url}/audits`;
  }
  for (const service of services) await service.start();
  const who = keys.map((k) => `${k.wallet.address} (${k.label})`).join(", ");
  console.log(`[validator] running as ${who} metrics ${metricsUrl} audits ${auditUrl}`);
  if (config.fileFraudProofs) {
    const bond = config.fraudProofBond !== undefined ? `${formatEther(config.fraudProofBond)} CUR` : "the minimum";
    log.info(`filing fraud proofs as ${keys[0]!.wallet.address} with a bond of ${bond} each`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    await Promise.all(services.map((s) => s.stop()));
    await metrics.close();
    await auditServer?.close();
    await verifier.close();
    provider.destroy();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(signal));
}

async function main(argv: string[]): Promise<void> {
  const { command, positionals, config, help } = parseConfig(argv);
  if (help || command === undefined || command === "help") {
    console.log(USAGE);
    if (command === undefined && !help) process.exitCode = 2;
    return;
  }
  const log = createLogger("validator", {
    format: config.logFormat,
    level: config.logLevel,
    ...(config.json ? { write: (l: string) => process.stderr.write(l + "\n") } : {}),
  });
  switch (command) {
    case "run":
      return commandRun(config, log);
    case "verify":
      return commandVerify(config, positionals[0], log);
    case "check-receipt":
      return commandCheckReceipt(config, positionals[0], log);
    case "register":
      return commandRegister(config, log);
    case "status":
      return commandStatus(config);
    case "model": {
      const models = ensureModels();
      if (config.json) console.log(JSON.stringify(models, null, 2));
      else
        for (const m of [models.reference, models.degraded]) {
          console.log(
            `${m.kind.padEnd(9)} ${m.path}\n          modelHash ${m.modelHash}  accuracy ${pct(m.evalAccuracy)}`,
          );
        }
      return;
    }
    default:
      throw new ConfigError(
        `unknown command "${command}" (register, run, verify, check-receipt, status, model; see --help)`,
      );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[validator] error: ${message}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
