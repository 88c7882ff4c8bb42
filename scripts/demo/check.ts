// `npm run demo:check`: proves that the demo story of `npm start` happened, through GraphQL (what the web app and
// analysts see) and the chain (what is true). It either attaches to a running system or starts one of its own:
//
//   npm run demo:check                                   starts `scripts/start.ts` on free ports, checks, stops it
//   npm run demo:check -- --rpc-url URL --graphql URL --deployment deployments/localhost.json   checks a running one
//
// Every check prints ✓ or ✗ with what it saw; the last line is `N checks passed, N failed`; exit 1 on any failure.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatEther, JsonRpcProvider } from "ethers";
import { ListingStatus, ProposalState, TASK_IDS, TASKS, parseListingMetadata } from "@curia/protocol";
import type { DeploymentRecord } from "../../deploy/deployments.js";
import {
  Court__factory,
  CurationPool__factory,
  CuriaGovernor__factory,
  CuriaToken__factory,
  ListingRegistry__factory,
  StakePool__factory,
  ValidationManager__factory,
} from "../../types/ethers-contracts/index.js";
import { DEMO_FEE_BPS, DEMO_GRANT } from "./seed-proposals.js";
import { DEMO_CHALLENGED_LISTING } from "./seed-court.js";
import { DEMO_CONSUMER, DEMO_LISTINGS, DEMO_VALIDATOR_AWARE_LISTING, demoTaskPair } from "./seed-marketplace.js";

/** The honest provider's first listing (DEMO_LISTINGS order), which the demo validators score. */
const DEMO_HONEST_LISTING = 1n;

const DAY = 86_400;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface DemoCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DemoEndpoints {
  rpcUrl: string;
  graphqlUrl: string;
  deployment: DeploymentRecord;
}

async function graphql<T>(url: string, query: string): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors !== undefined && body.errors.length > 0) {
    throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join("; ")}`);
  }
  if (body.data === undefined) throw new Error(`GraphQL answered ${response.status} without data`);
  return body.data;
}

interface IndexedProposal {
  id: string;
  description: string;
  status: string;
  voteStart: string;
  voteEnd: string;
  forVotes: string;
  againstVotes: string;
  voteCount: number;
  actions: { functionSignature: string | null; arguments: string[] }[];
}

/** Waits until the indexer has caught up with the chain's latest block, so both sides describe the same state. */
async function waitForIndexer(endpoints: DemoEndpoints, provider: JsonRpcProvider, timeoutMs = 60_000): Promise<void> {
  const target = await provider.getBlockNumber();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { _meta } = await graphql<{ _meta: { block: { number: number } } }>(
      endpoints.graphqlUrl,
      "{ _meta { block { number } } }",
    );
    if (_meta.block.number >= target) return;
    if (Date.now() > deadline) throw new Error(`the indexer is at block ${_meta.block.number}, the chain at ${target}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every check of the demo story; none throws: a failure is a check with ok = false. */
export async function checkDemoStory(endpoints: DemoEndpoints): Promise<DemoCheck[]> {
  const provider = new JsonRpcProvider(endpoints.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const address = (name: keyof DeploymentRecord["contracts"]): string => {
    const proxy = endpoints.deployment.contracts[name]?.proxy;
    if (proxy === undefined) throw new Error(`the deployment has no ${name}`);
    return proxy;
  };
  const checks: DemoCheck[] = [];
  const check = async (name: string, run: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await run() });
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  };
  const expect = (condition: boolean, message: string): void => {
    if (!condition) throw new Error(message);
  };

  try {
    const governor = CuriaGovernor__factory.connect(address("CuriaGovernor"), provider);
    const token = CuriaToken__factory.connect(address("CuriaToken"), provider);
    const registry = ListingRegistry__factory.connect(address("ListingRegistry"), provider);
    const curation = CurationPool__factory.connect(address("CurationPool"), provider);
    const court = Court__factory.connect(address("Court"), provider);
    const validation = ValidationManager__factory.connect(address("ValidationManager"), provider);
    const validatorPool = StakePool__factory.connect(address("ValidatorPool"), provider);
    await waitForIndexer(endpoints, provider);

    const { proposals } = await graphql<{ proposals: IndexedProposal[] }>(
      endpoints.graphqlUrl,
      `
        {
          proposals(first: 100, orderBy: voteStart) {
            id
            description
            status
            voteStart
            voteEnd
            forVotes
            againstVotes
            voteCount
            actions {
              functionSignature
              arguments
            }
          }
        }
      `,
    );
    const withState = await Promise.all(proposals.map(async (p) => ({ ...p, state: await governor.state(p.id) })));
    const byState = (state: number) => withState.filter((p) => Number(p.state) === state);

    await check("governance: an executed proposal lowered the protocol fee", async () => {
      const [executed] = byState(ProposalState.Executed);
      expect(executed !== undefined, "no executed proposal on chain");
      expect(executed!.status === "Executed", `the index says ${executed!.status}`);
      const action = executed!.actions[0];
      expect(action?.functionSignature === "setProtocolFee(uint16)", `decoded as ${action?.functionSignature}`);
      const fee = (await registry.parameters()).protocolFeeBps;
      expect(fee === BigInt(DEMO_FEE_BPS), `the registry's fee is ${fee} bps, not ${DEMO_FEE_BPS}`);
      return `proposal ${executed!.id.slice(0, 10)}… executed; fee ${fee} bps on chain`;
    });
    await check("governance: a treasury grant is queued in the timelock", async () => {
      const queued = byState(ProposalState.Queued).find(
        (p) => p.actions[0]?.functionSignature === "transfer(address,uint256)",
      );
      expect(queued !== undefined, "no queued transfer proposal");
      expect(queued!.status === "Queued", `the index says ${queued!.status}`);
      expect(queued!.actions[0]?.arguments[1] === DEMO_GRANT.toString(), `amount ${queued!.actions[0]?.arguments[1]}`);
      return `proposal ${queued!.id.slice(0, 10)}… queued, grant ${DEMO_GRANT / 10n ** 18n} CUR`;
    });
    await check("governance: a proposal was defeated", async () => {
      const [defeated] = byState(ProposalState.Defeated);
      expect(defeated !== undefined, "no defeated proposal");
      expect(BigInt(defeated!.againstVotes) > 0n, "the index shows no vote against it");
      return `${defeated!.voteCount} votes, ${BigInt(defeated!.againstVotes) / 10n ** 18n} CUR against`;
    });
    await check("governance: a proposal is open for votes, with a vote in", async () => {
      const [active] = byState(ProposalState.Active);
      expect(active !== undefined, "no active proposal");
      const now = BigInt((await provider.getBlock("latest"))!.timestamp);
      expect(BigInt(active!.voteStart) <= now && now < BigInt(active!.voteEnd), "the index's voting window is off");
      expect(active!.voteCount >= 1, "no vote indexed");
      return `closes in ${BigInt(active!.voteEnd) - now} s, ${active!.voteCount} vote(s)`;
    });
    await check("governance: delegates' voting power matches the token", async () => {
      const { delegates } = await graphql<{ delegates: { id: string; votingPower: string }[] }>(
        endpoints.graphqlUrl,
        "{ delegates(first: 20, where: { votingPower_gt: 0 }, orderBy: votingPower, orderDirection: desc) { id votingPower } }",
      );
      expect(delegates.length >= 2, `${delegates.length} delegate(s) with votes`);
      for (const d of delegates) {
        const votes = await token.getVotes(d.id);
        expect(votes.toString() === d.votingPower, `${d.id}: index ${d.votingPower}, token ${votes}`);
      }
      return `${delegates.length} delegates, largest ${BigInt(delegates[0]!.votingPower) / 10n ** 18n} CUR`;
    });

    await check("marketplace: the demo listings sell calls and curators stake on them", async () => {
      const { listings } = await graphql<{
        listings: { listingId: string; callsSold: string; curatorStake: string; status: string }[];
      }>(endpoints.graphqlUrl, "{ listings(orderBy: listingId) { listingId callsSold curatorStake status } }");
      expect(listings.length >= DEMO_LISTINGS.length, `${listings.length} listings indexed`);
      for (const listing of listings) {
        const pool = await curation.listingPool(listing.listingId);
        expect(pool.activeStake.toString() === listing.curatorStake, `listing ${listing.listingId}: stake differs`);
      }
      const sold = listings.reduce((sum, l) => sum + BigInt(l.callsSold), 0n);
      const wanted = DEMO_LISTINGS.flatMap((l) => l.purchases).reduce((sum, p) => sum + p.calls, 0n);
      expect(sold >= wanted, `${sold} calls sold, the demo bought ${wanted}`);
      return `${listings.length} listings, ${sold} calls sold, stakes match the pool`;
    });

    await check("marketplace: one model per task, each listed by an honest and a cheating provider", async () => {
      // Read from the chain's metadataURI with the parser validators and providers use (they pick the plugin by it).
      const seen: string[] = [];
      for (const task of TASK_IDS) {
        const pair = demoTaskPair(task);
        const [honest, cheating] = await Promise.all([pair.honest, pair.cheating].map((id) => registry.getListing(id)));
        for (const [role, id, listing] of [
          ["honest", pair.honest, honest!],
          ["cheating", pair.cheating, cheating!],
        ] as const) {
          const uri = listing.metadataURI;
          expect(uri.startsWith("data:application/json,"), `listing ${id}: metadata ${uri.slice(0, 40)}…`);
          const metadata = parseListingMetadata(JSON.parse(decodeURIComponent(uri.slice(uri.indexOf(",") + 1))));
          expect(metadata.task === task, `listing ${id} (${role} ${task}) names task ${metadata.task}`);
          expect(metadata.taskVersion === TASKS[task].version, `listing ${id}: task version ${metadata.taskVersion}`);
          expect(metadata.modelHash === listing.modelHash.toLowerCase(), `listing ${id}: metadata's model hash`);
          expect(Number(listing.status) !== ListingStatus.Delisted, `listing ${id} is delisted`);
        }
        // Both claim the same model: the cheating one serves a cheaper one behind the honest one's claim.
        expect(honest!.modelHash === cheating!.modelHash, `${task}: the two listings claim different models`);
        expect(honest!.provider !== cheating!.provider, `${task}: one provider lists both`);
        seen.push(`${task} ${pair.honest}/${pair.cheating}`);
      }
      return `honest/cheating listings: ${seen.join(", ")}`;
    });

    await check("court: the challenged listing has a jury with votes committed", async () => {
      const { disputes } = await graphql<{
        disputes: {
          disputeId: string;
          listing: { listingId: string };
          period: string;
          rounds: { drawn: number; committedJurors: number }[];
        }[];
      }>(
        endpoints.graphqlUrl,
        "{ disputes(orderBy: disputeId) { disputeId listing { listingId } period rounds { drawn committedJurors } } }",
      );
      const dispute = disputes.find((d) => d.listing.listingId === DEMO_CHALLENGED_LISTING.toString());
      expect(dispute !== undefined, `no dispute on listing ${DEMO_CHALLENGED_LISTING}`);
      const round = dispute!.rounds[0];
      expect(round !== undefined && round.drawn > 0, "no juror drawn");
      expect(round!.committedJurors >= 1, "no vote committed");
      const status = await registry.statusOf(DEMO_CHALLENGED_LISTING);
      expect(Number(status) === ListingStatus.Challenged, `listing status ${status} on chain, not Challenged`);
      expect((await court.disputeCount()) >= 1n, "the court has no dispute");
      return `dispute ${dispute!.disputeId}: ${round!.drawn} jurors drawn, ${round!.committedJurors} committed, period ${dispute!.period}`;
    });

    await check(
      "receipts: a consumer's receipt caught the validator-aware provider: fraud proof, slash, reward",
      async () => {
        const { fraudProofs } = await graphql<{
          fraudProofs: {
            id: string;
            filer: string;
            signer: string;
            listing: {
              listingId: string;
              status: string;
              provider: string;
              bondSlashed: string;
              escrowSlashed: string;
            };
            dispute: { ruling: string | null; winner: string | null; toWinner: string | null; bond: string };
          }[];
        }>(
          endpoints.graphqlUrl,
          `{ fraudProofs(where: { listing: "${DEMO_VALIDATOR_AWARE_LISTING}" }) { id filer signer
            listing { listingId status provider bondSlashed escrowSlashed }
            dispute { ruling winner toWinner bond } } }`,
        );
        const proof = fraudProofs[0];
        expect(proof !== undefined, `no fraud proof indexed on listing ${DEMO_VALIDATOR_AWARE_LISTING}`);
        const consumer = (await provider.getSigner(DEMO_CONSUMER)).address.toLowerCase();
        expect(proof!.filer === consumer, `filed by ${proof!.filer}, not the demo consumer #${DEMO_CONSUMER}`);
        expect(proof!.signer === (await registry.servingKeyOf(DEMO_VALIDATOR_AWARE_LISTING)).toLowerCase(), "signer");
        // The slash: delisted, and the bond and the escrowed earnings taken.
        const status = await registry.statusOf(DEMO_VALIDATOR_AWARE_LISTING);
        expect(Number(status) === ListingStatus.Delisted, `listing status ${status} on chain, not Delisted`);
        expect(proof!.listing.status === "Delisted", `indexed status ${proof!.listing.status}`);
        const escrow = BigInt(proof!.listing.escrowSlashed);
        const slashed = BigInt(proof!.listing.bondSlashed);
        expect(escrow > 0n, "no escrowed earnings slashed");
        expect(slashed > escrow, "no bond slashed");
        expect((await registry.escrowOf(DEMO_VALIDATOR_AWARE_LISTING))[0] === 0n, "escrow left on chain");
        // The reward: the ruling for the filer, who got the winner's share on top of its bond back.
        expect(proof!.dispute.ruling === "Challenger", `ruling ${proof!.dispute.ruling}`);
        expect(proof!.dispute.winner === consumer, `winner ${proof!.dispute.winner}`);
        const reward = BigInt(proof!.dispute.toWinner ?? "0");
        expect(reward > 0n, "no reward to the filer");
        return (
          `dispute ${proof!.id}: listing ${DEMO_VALIDATOR_AWARE_LISTING} delisted, ${formatEther(slashed)} CUR slashed ` +
          `(${formatEther(escrow)} of it escrowed earnings), ${formatEther(reward)} CUR reward to #${DEMO_CONSUMER}`
        );
      },
    );

    await check("validation: the honest listing scores high, the cheating one falls below the minimum", async () => {
      const { validationRounds } = await graphql<{
        validationRounds: {
          roundId: string;
          listing: { listingId: string; qualityBps: number | null };
          status: string;
          medianBps: number | null;
          revealedCount: number;
          dispute: { disputeId: string } | null;
        }[];
      }>(
        endpoints.graphqlUrl,
        `
          {
            validationRounds(orderBy: roundId, where: { status: Finalized }) {
              roundId
              status
              medianBps
              revealedCount
              listing {
                listingId
                qualityBps
              }
              dispute {
                disputeId
              }
            }
          }
        `,
      );
      const minimum = Number((await validation.parameters()).minQualityBps);
      const latest = (listingId: bigint) =>
        validationRounds.filter((r) => r.listing.listingId === listingId.toString()).at(-1);
      const honest = latest(DEMO_HONEST_LISTING);
      const cheating = latest(DEMO_CHALLENGED_LISTING);
      expect(honest !== undefined && cheating !== undefined, `${validationRounds.length} finalized round(s) indexed`);
      expect((honest!.medianBps ?? 0) >= 9_000, `the honest listing's median is ${honest!.medianBps} bps`);
      expect((cheating!.medianBps ?? minimum) < minimum, `the cheating listing's median is ${cheating!.medianBps} bps`);
      for (const [id, round] of [
        [DEMO_HONEST_LISTING, honest!],
        [DEMO_CHALLENGED_LISTING, cheating!],
      ] as const) {
        const quality = await registry.qualityOf(id);
        expect(
          Number(quality) === round.medianBps,
          `listing ${id}: quality ${quality} on chain, median ${round.medianBps}`,
        );
      }
      expect(cheating!.dispute !== null, "the cheating listing's round opened no dispute");
      return (
        `listing ${DEMO_HONEST_LISTING}: ${honest!.medianBps} bps (${honest!.revealedCount} reveals); ` +
        `listing ${DEMO_CHALLENGED_LISTING}: ${cheating!.medianBps} bps < ${minimum}, dispute ${cheating!.dispute!.disputeId}`
      );
    });
    await check("history: the demo's blocks span at least 14 days, with activity on the days between", async () => {
      const [first, latest] = await Promise.all([provider.getBlock(1), provider.getBlock("latest")]);
      const span = latest!.timestamp - first!.timestamp;
      expect(span >= 14 * DAY, `blocks 1 to ${latest!.number} span ${(span / DAY).toFixed(1)} days`);
      return `blocks 1 to ${latest!.number} span ${(span / DAY).toFixed(1)} days`;
    });
    await check("dashboard: the daily series (fees, purchases, curator stake) have points over two weeks", async () => {
      const { dailyStats } = await graphql<{
        dailyStats: { date: number; fees: string; purchases: number; curatorStake: string }[];
      }>(endpoints.graphqlUrl, "{ dailyStats(first: 1000, orderBy: date) { date fees purchases curatorStake } }");
      // The dashboard plots one point per DailyStat row (web/src/lib/dashboard/stats.ts).
      const selling = dailyStats.filter((d) => d.purchases > 0 && BigInt(d.fees) > 0n);
      expect(selling.length >= 10, `${selling.length} day(s) with purchases and fees, of ${dailyStats.length} rows`);
      const span = selling.at(-1)!.date - selling[0]!.date;
      expect(span >= 14 * DAY, `the fee series spans ${(span / DAY).toFixed(1)} days`);
      const stakes = new Set(dailyStats.map((d) => d.curatorStake));
      expect(stakes.size >= 3, `the curator stake series takes ${stakes.size} value(s)`);
      return `${dailyStats.length} daily rows, ${selling.length} with sales over ${(span / DAY).toFixed(0)} days, ${stakes.size} curator stake levels`;
    });
    await check("history: proposals were settled on several days", async () => {
      const settled = withState.filter(
        (p) => Number(p.state) === ProposalState.Executed || Number(p.state) === ProposalState.Defeated,
      );
      const days = new Set(settled.map((p) => Math.floor(Number(p.voteStart) / DAY)));
      expect(days.size >= 3, `settled proposals on ${days.size} day(s)`);
      return `${settled.length} settled proposals on ${days.size} days`;
    });
    await check("dashboard: validation rounds, scores and disputes on days of the history", async () => {
      const { dailyStats, qualityUpdates } = await graphql<{
        dailyStats: {
          date: number;
          validationRoundsOpened: number;
          disputesCreated: number;
          disputesExecuted: number;
        }[];
        qualityUpdates: { timestamp: string }[];
      }>(
        endpoints.graphqlUrl,
        `
          {
            dailyStats(first: 1000, orderBy: date) {
              date
              validationRoundsOpened
              disputesCreated
              disputesExecuted
            }
            qualityUpdates(first: 1000) {
              timestamp
            }
          }
        `,
      );
      // The disputes chart plots opened and executed disputes per day; the quality chart a point per day with a score.
      const days = (pick: (d: (typeof dailyStats)[number]) => number) => dailyStats.filter((d) => pick(d) > 0).length;
      const rounds = days((d) => d.validationRoundsOpened);
      const opened = days((d) => d.disputesCreated);
      const executed = days((d) => d.disputesExecuted);
      const scored = new Set(qualityUpdates.map((u) => Math.floor(Number(u.timestamp) / DAY))).size;
      expect(rounds >= 8, `validation rounds opened on ${rounds} day(s)`);
      expect(opened >= 3, `disputes opened on ${opened} day(s)`);
      expect(executed >= 2, `disputes executed on ${executed} day(s)`);
      expect(scored >= 8, `listings scored on ${scored} day(s)`);
      return `rounds on ${rounds} days, scores on ${scored}, disputes opened on ${opened} and executed on ${executed}`;
    });
    await check("validation: validators are registered with their stake", async () => {
      const { validators } = await graphql<{ validators: { id: string; staked: string; registered: boolean }[] }>(
        endpoints.graphqlUrl,
        "{ validators(where: { registered: true }) { id staked registered } }",
      );
      expect(validators.length >= 3, `${validators.length} registered validator(s) indexed`);
      for (const v of validators) {
        const onChain = await validatorPool.memberOf(v.id);
        expect(onChain.staked.toString() === v.staked, `${v.id}: index ${v.staked}, chain ${onChain.staked}`);
      }
      return `${validators.length} validators, stakes match the chain`;
    });
  } catch (error) {
    checks.push({
      name: "reach the system",
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    });
  } finally {
    provider.destroy();
  }
  return checks;
}

export function printChecks(checks: readonly DemoCheck[]): { passed: number; failed: number } {
  for (const c of checks) console.log(`${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  console.log(`${passed} checks passed, ${failed} failed`);
  return { passed, failed };
}

/** Starts `scripts/start.ts` on free ports in a scratch directory; resolves once it prints "Curia is running". */
async function startSystem(): Promise<{ endpoints: DemoEndpoints; stop: () => Promise<void> }> {
  const scratch = mkdtempSync(join(tmpdir(), "curia-demo-check-"));
  const child = spawn(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      CURIA_CHAIN_PORT: "0",
      CURIA_INDEXER_PORT: "0",
      CURIA_WEB_PORT: "0",
      CURIA_LOG_DIR: join(scratch, "logs"),
      CURIA_DEPLOYMENTS_DIR: join(scratch, "deployments"),
      CURIA_INDEXER_DB: join(scratch, "indexer.sqlite"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((r) => child.on("close", () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill("SIGINT");
    await exited;
    rmSync(scratch, { recursive: true, force: true });
  };
  const deadline = Date.now() + 600_000;
  while (!output.includes("Curia is running")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not come up:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const line = (label: string): string => {
    const value = new RegExp(`^\\s*${label}\\s+(\\S+)`, "m").exec(output)?.[1];
    if (value === undefined) throw new Error(`npm start printed no "${label}" line`);
    return value;
  };
  const deploymentFile = line("Deployments");
  const deployment = JSON.parse(readFileSync(deploymentFile, "utf8")) as DeploymentRecord;
  return { endpoints: { rpcUrl: line("RPC URL"), graphqlUrl: line("GraphQL"), deployment }, stop };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "rpc-url": { type: "string" }, graphql: { type: "string" }, deployment: { type: "string" } },
  });
  const attach = values["rpc-url"] !== undefined || values.graphql !== undefined || values.deployment !== undefined;
  if (attach && (values["rpc-url"] === undefined || values.graphql === undefined || values.deployment === undefined)) {
    console.error("demo:check: give all of --rpc-url, --graphql and --deployment to check a running system, or none");
    process.exit(2);
  }
  let stop = async (): Promise<void> => {};
  let endpoints: DemoEndpoints;
  if (attach) {
    endpoints = {
      rpcUrl: values["rpc-url"]!,
      graphqlUrl: values.graphql!,
      deployment: JSON.parse(readFileSync(values.deployment!, "utf8")) as DeploymentRecord,
    };
  } else {
    console.log("demo:check: starting the whole system on free ports (scripts/start.ts)…");
    ({ endpoints, stop } = await startSystem());
  }
  try {
    const { failed } = printChecks(await checkDemoStory(endpoints));
    process.exitCode = failed === 0 ? 0 : 1;
  } finally {
    await stop();
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`demo:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
