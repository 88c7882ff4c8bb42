// Marketplace gas: what each ListingRegistry / CurationPool operation costs, and the scale check the project
// requires: "gas of stake, requestUnstake, withdraw, claim and purchase is the same within 5% with 10 and with 10,000
// listings and curators". Run by `npx hardhat run scripts/bench/gas.ts` (runMarketplaceBench); it rewrites
// benchmarks/gas-marketplace.{md,json}.
//
// Each state is built on its own fresh in-process chain with real transactions: the whole system deployed by
// deployCuria (LOCAL_CONFIG), then N listings and N curators, every curator staked on one "hot" listing and on one
// other listing. Then the same operations are measured in the same order on both chains, on the hot listing, so in
// the large state each of them runs against a listing with 10,000 curators in a market of 10,000 listings.
//
// Building the large state fast: automine off, every transaction sent without waiting for it (explicit nonces and gas
// limits, so nothing is estimated), then blocks mined until the mempool is empty. The mass curators are fixed-key
// accounts whose transactions the node accepts unsigned (hardhat_impersonateAccount), which saves signing ~30,000
// transactions in JavaScript; the EVM executes them exactly like signed ones. Setting storage directly is never used.
import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { computeAddress, id, keccak256, MaxUint256, parseEther, parseUnits, toUtf8Bytes } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import type { CurationPool, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";
import {
  check,
  COMMAND,
  deltaPercent,
  describeEnvironment,
  type Environment,
  environmentLines,
  formatDelta,
  formatGas,
  markdownTable,
  measure,
  type Measurement,
  seconds,
  TARGET_PERCENT,
  writeReport,
} from "./common.js";

const OUTPUT_BASENAME = "benchmarks/gas-marketplace";
const CONFIG = LOCAL_CONFIG;
const MARKET = CONFIG.marketplace.market;
const CURATION = CONFIG.marketplace.curation;

/** Listings and curators in the small and the large state. CURIA_BENCH_LARGE overrides the large size (quick runs
 * while editing the benchmark; the committed report always uses 10,000). */
const SMALL = 10;
const LARGE = Number(process.env.CURIA_BENCH_LARGE ?? 10_000);

const PRICE = parseEther("2");
const CALLS = 10n;
const BOND = MARKET.minBond;
const STAKE = CURATION.minStake;
/** What each mass curator receives: two stakes and change, so its balance never returns to zero. */
const CURATOR_FUNDS = STAKE * 10n;
const NAMED_FUNDS = parseEther("1000000");

/** Gas limits of the setup transactions: above what they use, so nothing is estimated. */
const GAS = { createListing: 400_000n, transfer: 100_000n, approve: 100_000n, stake: 300_000n } as const;

/** Listings (phase 1) or curators (phase 2) sent per batch before mining it. */
const CHUNK = Number(process.env.CURIA_BENCH_CHUNK ?? 1_000);

const HOT = 1n; // every curator stakes here; the measured curator operations happen here
const EMPTY = 2n; // never staked on: the purchase without curators

const OPERATIONS = [
  { key: "createListing", label: "createListing", required: false },
  { key: "stakeFirst", label: "stake (first stake on a listing)", required: false },
  { key: "purchase", label: "purchase (hot listing, curator fee path)", required: true },
  { key: "purchaseNoCurators", label: "purchase (listing without curators)", required: true },
  { key: "stakeAdditional", label: "stake (additional curator on the hot listing)", required: true },
  { key: "claim", label: "claim (existing curator)", required: true },
  { key: "requestUnstake", label: "requestUnstake (existing curator, all of it)", required: true },
  { key: "withdraw", label: "withdraw (after thawing; closes the position)", required: true },
] as const;

type OperationKey = (typeof OPERATIONS)[number]["key"];
type Measurements = Record<OperationKey, Measurement>;

interface StateResult {
  size: number;
  measurements: Measurements;
  setup: { transactions: number; blocks: number; listingsMs: number; curatorsMs: number; totalMs: number };
  hotListingCurators: number;
  listings: number;
}

interface Named {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  buyer: HardhatEthersSigner;
  firstStaker: HardhatEthersSigner;
  extraCurator: HardhatEthersSigner;
}

/** Fixed-key curator accounts, the same on every chain (keys derived from a label, not random). */
function curatorAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => computeAddress(keccak256(toUtf8Bytes(`curia-bench-curator-${i}`))));
}

/** A JSON-RPC quantity: hex without leading zeros. */
function quantity(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

type Request = { method: string; params?: unknown[] };

/** Sends without waiting for the transaction to be mined; resolves to its hash. */
interface Tx {
  from: string;
  to: string;
  data: string;
  nonce: number;
  gas: bigint;
}

function send(connection: NetworkConnection, tx: Tx): Promise<unknown> {
  const request: Request = {
    method: "eth_sendTransaction",
    params: [
      {
        from: tx.from,
        to: tx.to,
        data: tx.data,
        nonce: quantity(tx.nonce),
        gas: quantity(tx.gas),
        // The base fee is set to zero before every block (see mineAll); this only has to cover it.
        maxFeePerGas: quantity(parseUnits("1", "gwei")),
        maxPriorityFeePerGas: "0x0",
      },
    ],
  };
  return connection.provider.request(request);
}

/** Mines full blocks until one comes out empty, i.e. until the mempool is drained. Full blocks would otherwise
 * raise the base fee 12.5% each, past what the queued transactions pay, so it is reset before every block. */
async function mineAll(connection: NetworkConnection): Promise<number> {
  const { provider } = connection;
  let blocks = 0;
  for (;;) {
    await provider.request({ method: "hardhat_setNextBlockBaseFeePerGas", params: ["0x0"] });
    await provider.request({ method: "evm_mine", params: [] });
    const count = await provider.request({ method: "eth_getBlockTransactionCountByNumber", params: ["latest"] });
    if (Number(count) === 0) return blocks;
    blocks++;
  }
}

async function nonceOf(connection: NetworkConnection, address: string): Promise<number> {
  return connection.ethers.provider.getTransactionCount(address, "pending");
}

interface System {
  connection: NetworkConnection;
  token: CuriaToken;
  registry: ListingRegistry;
  curationPool: CurationPool;
  named: Named;
  curators: string[];
}

/** Deploys the system and builds the state: `size` listings and `size` curators. */
async function buildState(size: number): Promise<{ system: System; setup: StateResult["setup"] }> {
  const started = performance.now();
  const connection = await hre.network.create({ network: "hardhat" });
  const { ethers, networkHelpers } = connection;
  const { token, registry, curationPool } = await deployCuria({ hre, connection, config: CONFIG });
  const signers = await ethers.getSigners();
  const [deployer, provider, buyer, firstStaker, extraCurator] = signers;
  if (extraCurator === undefined || deployer === undefined || provider === undefined) {
    throw new Error("the in-process chain needs 5 accounts");
  }
  const named: Named = { deployer, provider, buyer: buyer!, firstStaker: firstStaker!, extraCurator };
  const [tokenAddress, registryAddress, poolAddress] = await Promise.all([
    token.getAddress(),
    registry.getAddress(),
    curationPool.getAddress(),
  ]);

  // The named accounts, funded and approved the ordinary way (same on both chains).
  for (const account of [provider, named.buyer, named.firstStaker, extraCurator]) {
    // The provider also bonds every listing of the state.
    const amount = account === provider ? NAMED_FUNDS + BOND * BigInt(size) : NAMED_FUNDS;
    await (await token.connect(deployer).transfer(account.address, amount)).wait();
  }
  for (const account of [deployer, provider, named.buyer, named.firstStaker, extraCurator]) {
    await (await token.connect(account).approve(registryAddress, MaxUint256)).wait();
    await (await token.connect(account).approve(poolAddress, MaxUint256)).wait();
  }

  const curators = curatorAddresses(size);
  await Promise.all(
    curators.flatMap((address) => [
      networkHelpers.setBalance(address, parseEther("1")),
      connection.provider.request({ method: "hardhat_impersonateAccount", params: [address] }),
    ]),
  );

  await connection.provider.request({ method: "evm_setAutomine", params: [false] });
  let transactions = 0;
  let blocks = 0;
  const t0 = performance.now();

  let sendMs = 0;
  let mineMs = 0;
  /** Sends `count` items' transactions without waiting, `CHUNK` items at a time, and mines each chunk before the
   * next. Measured at 10,000 curators: 147 s with batches of 1,000 against 187 s with all 30,000 stakes pending at
   * once; almost all of it is EDR executing the transactions (~2.5 ms each, growing with the state), not sending. */
  const sendInChunks = async (count: number, txsOf: (i: number) => Tx[]) => {
    for (let start = 0; start < count; start += CHUNK) {
      const t = performance.now();
      const sends: Promise<unknown>[] = [];
      for (let i = start; i < Math.min(count, start + CHUNK); i++) {
        for (const tx of txsOf(i)) sends.push(send(connection, tx));
      }
      await Promise.all(sends);
      transactions += sends.length;
      const t2 = performance.now();
      blocks += await mineAll(connection);
      sendMs += t2 - t;
      mineMs += performance.now() - t2;
    }
  };

  // Phase 1: the listings (one provider) and the curators' CUR (from the deployer).
  const providerNonce = await nonceOf(connection, provider.address);
  const deployerNonce = await nonceOf(connection, deployer.address);
  await sendInChunks(size, (i) => {
    const name = `bench-model-${i}`;
    const listingData = registry.interface.encodeFunctionData("createListing", [
      id(name),
      `ipfs://meta/${name}`,
      `https://${name}.example/infer`,
      PRICE,
      BOND,
    ]);
    const fundData = token.interface.encodeFunctionData("transfer", [curators[i]!, CURATOR_FUNDS]);
    return [
      {
        from: provider.address,
        to: registryAddress,
        data: listingData,
        nonce: providerNonce + i,
        gas: GAS.createListing,
      },
      { from: deployer.address, to: tokenAddress, data: fundData, nonce: deployerNonce + i, gas: GAS.transfer },
    ];
  });
  const t1 = performance.now();

  // Phase 2: each curator approves, stakes on the hot listing and on one other listing (never the empty one).
  const approveData = token.interface.encodeFunctionData("approve", [poolAddress, MaxUint256]);
  const hotData = curationPool.interface.encodeFunctionData("stake", [HOT, STAKE]);
  await sendInChunks(size, (i) => {
    const curator = curators[i]!;
    const otherData = curationPool.interface.encodeFunctionData("stake", [3n + BigInt(i % (size - 2)), STAKE]);
    return [
      { from: curator, to: tokenAddress, data: approveData, nonce: 0, gas: GAS.approve },
      { from: curator, to: poolAddress, data: hotData, nonce: 1, gas: GAS.stake },
      { from: curator, to: poolAddress, data: otherData, nonce: 2, gas: GAS.stake },
    ];
  });
  const t2 = performance.now();
  console.log(
    `Marketplace state with ${formatGas(size)} listings and curators: ${formatGas(transactions)} transactions ` +
      `in ${blocks} blocks (sending ${seconds(sendMs)}, mining ${seconds(mineMs)})`,
  );
  await connection.provider.request({ method: "evm_setAutomine", params: [true] });

  // Every setup transaction succeeded: the totals only add up if all of them did.
  check((await registry.listingCount()) === BigInt(size), `${size} listings expected`);
  check((await curationPool.listingPool(HOT)).openPositions === BigInt(size), `${size} curators on the hot listing`);
  check((await curationPool.listingPool(EMPTY)).openPositions === 0n, "the empty listing has curators");
  const [staked] = await curationPool.totalOwed();
  check(staked === STAKE * 2n * BigInt(size), "every curator staked twice");

  return {
    system: { connection, token, registry, curationPool, named, curators },
    setup: { transactions, blocks, listingsMs: t1 - t0, curatorsMs: t2 - t1, totalMs: performance.now() - started },
  };
}

/** The measured operations, in the same order on both chains. */
async function runScenario(system: System): Promise<Measurements> {
  const { connection, registry, curationPool, named, curators } = system;
  const { ethers, networkHelpers } = connection;
  const { deployer, provider, buyer, firstStaker, extraCurator } = named;
  const m: Partial<Measurements> = {};

  // The application period and the curators' warm-up pass; the measured curator's stake is activated (a new stake
  // earns only once active); a first purchase on the hot and the empty listing records their activation (a one-off
  // write) and gives the measured curator rewards to claim.
  await networkHelpers.time.increase(Math.max(MARKET.applicationPeriod, CURATION.warmupPeriod) + 1);
  const measured = curators[0];
  if (measured === undefined) throw new Error("no curators");
  await (await curationPool.connect(deployer).activate(HOT, measured)).wait();
  for (const listingId of [HOT, EMPTY]) {
    await (await registry.connect(deployer).purchase(listingId, CALLS, deployer.address, MaxUint256)).wait();
  }

  const name = "bench-model-measured";
  m.createListing = await measure(
    registry
      .connect(provider)
      .createListing(id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, PRICE, BOND),
  );
  const newListing = await registry.listingCount();
  m.stakeFirst = await measure(curationPool.connect(firstStaker).stake(newListing, STAKE));
  m.purchase = await measure(registry.connect(buyer).purchase(HOT, CALLS, buyer.address, MaxUint256));
  m.purchaseNoCurators = await measure(registry.connect(buyer).purchase(EMPTY, CALLS, buyer.address, MaxUint256));
  m.stakeAdditional = await measure(curationPool.connect(extraCurator).stake(HOT, STAKE));

  const curatorAddress = curators[0];
  if (curatorAddress === undefined) throw new Error("no curators");
  const curator = await ethers.getImpersonatedSigner(curatorAddress);
  check((await curationPool.claimable(HOT, curatorAddress)) > 0n, "the measured curator has nothing to claim");
  m.claim = await measure(curationPool.connect(curator).claim(HOT, curatorAddress));
  m.requestUnstake = await measure(curationPool.connect(curator).requestUnstake(HOT, STAKE));
  await networkHelpers.time.increase(CURATION.thawingPeriod);
  m.withdraw = await measure(curationPool.connect(curator).withdraw(HOT));
  const position = await curationPool.positionOf(HOT, curatorAddress);
  check(position.shares === 0n && position.thawingShares === 0n, "the measured curator's position is not empty");

  for (const { key } of OPERATIONS) check(m[key] !== undefined, `${key} was not measured`);
  return m as Measurements;
}

async function runState(size: number): Promise<{ result: StateResult; env: Environment }> {
  const { system, setup } = await buildState(size);
  const measurements = await runScenario(system);
  const hotListingCurators = Number((await system.curationPool.listingPool(HOT)).openPositions);
  const listings = Number(await system.registry.listingCount());
  const env = describeEnvironment(system.connection);
  await system.connection.close();
  return { result: { size, measurements, setup, hotListingCurators, listings }, env };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

interface Row {
  key: OperationKey;
  label: string;
  /** Named in the scale requirement (stake, requestUnstake, withdraw, claim, purchase). */
  required: boolean;
  small: number;
  large: number;
  deltaPercent: number;
  sameWithinTarget: boolean;
  calldataGas: { small: number; large: number };
}

function buildRows(small: Measurements, large: Measurements): Row[] {
  return OPERATIONS.map(({ key, label, required }) => {
    const delta = deltaPercent(large[key].gasUsed, small[key].gasUsed);
    return {
      key,
      label,
      required,
      small: Number(small[key].gasUsed),
      large: Number(large[key].gasUsed),
      deltaPercent: delta,
      sameWithinTarget: Math.abs(delta) <= TARGET_PERCENT,
      calldataGas: { small: small[key].calldataGas, large: large[key].calldataGas },
    };
  });
}

function gasTable(rows: Row[]): string {
  return markdownTable(
    ["operation", "gas"],
    rows.map((r) => [r.label, formatGas(r.small)]),
  );
}

function scaleTable(rows: Row[], small: StateResult, large: StateResult): string {
  const column = (s: StateResult) => `${formatGas(s.size)} listings, ${formatGas(s.size)} curators`;
  return markdownTable(
    ["operation", column(small), column(large), "delta %", `same within ${TARGET_PERCENT}%`],
    rows.map((r) => [
      r.required ? `${r.label} *` : r.label,
      formatGas(r.small),
      formatGas(r.large),
      formatDelta(r.deltaPercent),
      r.sameWithinTarget ? "✓" : "✗",
    ]),
  );
}

function renderMarkdown(rows: Row[], small: StateResult, large: StateResult, env: Environment): string {
  const required = rows.filter((r) => r.required);
  const met = required.every((r) => r.sameWithinTarget);
  const setupLine = (s: StateResult) =>
    `${formatGas(s.size)} listings and curators: ${formatGas(s.setup.transactions)} transactions in ${formatGas(s.setup.blocks)} blocks, ` +
    `${seconds(s.setup.listingsMs)} for the listings and the curators' CUR, ${seconds(s.setup.curatorsMs)} for the curators' approvals and stakes ` +
    `(${seconds(s.setup.totalMs)} with deployment)`;
  return `# Marketplace gas

Produced by \`${COMMAND}\`, which rewrites this file and \`gas-marketplace.json\` (the raw numbers) on every run.

${environmentLines(env)}
- The whole system deployed by \`deployCuria\` with LOCAL_CONFIG (ListingRegistry and CurationPool behind UUPS proxies,
  CUR token proxied too): protocol fee ${MARKET.protocolFeeBps / 100}%, curator share ${MARKET.curatorShareBps / 100}% of it, default quality ${MARKET.defaultQualityBps / 100}%,
  bond ${formatGas(Number(BOND / 10n ** 18n))} CUR, stake ${formatGas(Number(STAKE / 10n ** 18n))} CUR, thawing ${CURATION.thawingPeriod} s.
- Numbers are receipt \`gasUsed\` (21,000 intrinsic and calldata included). Each purchase buys ${CALLS} calls at ${Number(PRICE / 10n ** 18n)} CUR
  by a buyer buying that listing for the first time; the listings were already activated by an earlier purchase.

## Gas per operation

Measured on a chain with ${formatGas(small.size)} listings and ${formatGas(small.size)} curators, every curator staked on listing #${HOT} (the "hot"
listing, where the curator operations below happen) and on one other listing; listing #${EMPTY} has no curators.

${gasTable(rows)}

## Scale check

Requirement: **gas of stake, requestUnstake, withdraw, claim and purchase is the same within ${TARGET_PERCENT}% with ${formatGas(small.size)} and
with ${formatGas(large.size)} listings and curators** (rows marked *). ${met ? "Met" : "NOT met"}: every marked row is ${met ? "within" : "not within"} ${TARGET_PERCENT}%.

Both states are built with real transactions on a fresh chain each, then the same operations run in the same order.
In the large state the hot listing has ${formatGas(large.hotListingCurators)} open positions at the end (the ${formatGas(large.size)} curators, the
measured one having left, plus the additional curator) and the market ${formatGas(large.listings)} listings. "delta %" is
(large − small) / small; the calldata differs only where a listing id has more non-zero bytes.

${scaleTable(rows, small, large)}

Setup: ${setupLine(small)}; ${setupLine(large)}.
`;
}

function renderJson(rows: Row[], small: StateResult, large: StateResult, env: Environment): unknown {
  const state = (s: StateResult) => ({
    listingsAndCurators: s.size,
    hotListingOpenPositions: s.hotListingCurators,
    listings: s.listings,
    setup: {
      transactions: s.setup.transactions,
      blocks: s.setup.blocks,
      seconds: Math.round(s.setup.totalMs) / 1000,
    },
  });
  return {
    command: COMMAND,
    environment: env,
    scaleRequirement: {
      description: `stake, requestUnstake, withdraw, claim and purchase within ${TARGET_PERCENT}% at ${small.size} and ${large.size} listings and curators`,
      percent: TARGET_PERCENT,
      met: rows.filter((r) => r.required).every((r) => r.sameWithinTarget),
    },
    states: { small: state(small), large: state(large) },
    operations: rows,
  };
}

export async function runMarketplaceBench(): Promise<void> {
  const started = performance.now();
  const { result: small, env } = await runState(SMALL);
  const { result: large } = await runState(LARGE);
  const rows = buildRows(small.measurements, large.measurements);
  writeReport(OUTPUT_BASENAME, renderMarkdown(rows, small, large, env), renderJson(rows, small, large, env));

  console.log("Marketplace");
  console.log(gasTable(rows));
  console.log(`\nScale check (* = named in the requirement; same within ${TARGET_PERCENT}%):`);
  console.log(scaleTable(rows, small, large));
  console.log(
    `\nLarge state: ${formatGas(large.setup.transactions)} setup transactions in ${formatGas(large.setup.blocks)} blocks, ${seconds(large.setup.totalMs)}`,
  );
  console.log(`Written to ${OUTPUT_BASENAME}.md and ${OUTPUT_BASENAME}.json (${seconds(performance.now() - started)})`);
}
