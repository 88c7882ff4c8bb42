// A real local chain for the validator's tests: one `hardhat node` on a free port for the whole run (hardhat.config.ts
// reads CURIA_RPC_URL once), the whole system deployed on it by the project's deploy code, and helpers for listings.
import { join } from "node:path";
import { sharedHardhatNode as sharedNode, type LocalChain } from "../../../scripts/drivers/local-chain.js";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther, type Provider } from "ethers";
import { drawLandsOn, drawValue, type DeploymentRecord } from "@curia/protocol";
import { DEFAULT_PROBE_FUNDING_DEV_ACCOUNT, devAccount } from "../../src/keys.js";
import { ProbeFunder } from "../../src/probes/buyers.js";

export { freePort, REPO_ROOT, temporaryDirectory, type LocalChain } from "../../../scripts/drivers/local-chain.js";

/** The run's one node. Generous: on a loaded 2-core CI machine the node has taken over 90 s to answer. */
export const sharedHardhatNode = (): Promise<LocalChain> => sharedNode({ startTimeoutMs: 240_000 });

/** Account indices on the node (Hardhat's test mnemonic); 11-16 are validators in the tests. */
export const ACCOUNTS = { deployer: 0, provider: 5, cheater: 6, consumer: 7, stranger: 8, jurors: [17, 18] } as const;

/** Accounts funded with CUR (every spender approved) in the shared deployment: providers, consumer, validators. */
export const FUNDED = [5, 6, 7, 11, 12, 13, 14, 15, 16, 17, 18];

/** What the shared deployment's validators' reward pool holds at the start of every test file. */
export const VALIDATION_POOL = parseEther("20000");

async function deployOnce() {
  const chain = await sharedHardhatNode();
  process.env.CURIA_RPC_URL = chain.url;
  const { default: hre } = await import("hardhat");
  const connection = await hre.network.connect({ network: "localhost" });
  const { LOCAL_CONFIG } = await import("../../../deploy/config.js");
  const { deployCuria } = await import("../../../deploy/system.js");
  const signers = await connection.ethers.getSigners();
  let record: DeploymentRecord | undefined;
  const deployment = await deployCuria({
    hre,
    connection,
    config: LOCAL_CONFIG,
    persist: (r) => {
      record = structuredClone(r);
    },
    log: () => {},
  });
  if (record === undefined) throw new Error("deployment wrote no record");
  const { token, registry, validation, court, challenges, jurorPool, validatorPool } = deployment;
  const spenders = await Promise.all(
    [registry, validation, court, challenges, jurorPool, validatorPool].map((c) => c.getAddress()),
  );
  const signer = (i: number) => {
    const s = signers[i];
    if (s === undefined) throw new Error(`the node has no account #${i}`);
    return s;
  };
  for (const i of FUNDED) {
    await (await token.connect(signer(0)).transfer(signer(i).address, parseEther("200000"))).wait();
    for (const spender of spenders) await (await token.connect(signer(i)).approve(spender, MaxUint256)).wait();
  }
  // The validators' reward pool holds 20,000 CUR, as the demo seeds it (scripts/demo/seed-validation.ts): a validator
  // probes no more than a round reimburses, and an empty pool reimburses nothing.
  await (await token.connect(signer(0)).transfer(await validation.getAddress(), VALIDATION_POOL)).wait();
  return { deployment, chain, connection, signer, record: record as DeploymentRecord };
}

let base: Promise<Awaited<ReturnType<typeof deployOnce>>> | undefined;
let snapshot: string | undefined;

/**
 * The whole system, deployed once per test run on the shared node by the project's deploy code and funded; every
 * later call reverts the chain to that state (evm_snapshot / evm_revert), so each test file starts from a clean system
 * without paying for a second deployment. Writes the deployment record into `dir`.
 */
export async function deploySystem(dir: string) {
  base ??= deployOnce();
  const { deployment, chain, connection, signer, record } = await base;
  const rpc = (method: string, params: unknown[] = []) => connection.provider.request({ method, params });
  if (snapshot !== undefined && !((await rpc("evm_revert", [snapshot])) as boolean)) {
    throw new Error("evm_revert to the deployment snapshot failed");
  }
  snapshot = (await rpc("evm_snapshot")) as string;
  const { writeDeployment } = await import("../../../deploy/deployments.js");
  writeDeployment(record, dir);
  const { registry } = deployment;
  const helpers = connection.networkHelpers;
  return {
    ...deployment,
    chain,
    connection,
    signer,
    deployer: signer(0),
    helpers,
    record,
    deploymentPath: join(dir, `${record.network}.json`),
    /** Lists a model and lets its application period pass; returns the listing id. */
    async createActiveListing(provider: HardhatEthersSigner, modelHash: string, metadataURI: string, endpoint: string) {
      const { minBond, applicationPeriod } = await registry.parameters();
      await (
        await registry.connect(provider).createListing(modelHash, metadataURI, endpoint, parseEther("0.5"), minBond)
      ).wait();
      const listingId = await registry.listingCount();
      await helpers.time.increase(Number(applicationPeriod) + 1);
      await (await registry.activate(listingId)).wait();
      return listingId;
    },
  };
}

export type System = Awaited<ReturnType<typeof deploySystem>>;

/**
 * Committees are drawn with replacement, so on a blockhash seed three validators may hold a committee's five seats in
 * any mix, one of them none. The tests that need every validator seated set the ValidationManager's randomness (as the
 * DAO, the timelock) to a fixed seed under which the seats, as the pool stands now, cover every member: the first such
 * seed, found off-chain with the protocol package's draw rule. Every later round draws from the same seed.
 */
export async function seatEveryValidator(system: System): Promise<bigint> {
  const { validation, validatorPool, timelock, connection } = system;
  const leaves: { account: string; weight: bigint }[] = [];
  for (let slot = 0n; slot < (await validatorPool.memberSlots()); slot++) {
    const account = await validatorPool.memberAt(slot);
    const [weight] = await validatorPool.drawWeight(account);
    leaves.push({ account, weight });
  }
  const members = leaves.filter((l) => l.weight > 0n);
  const seats = BigInt((await validation.parameters()).committeeSize);
  let seed = 1n;
  for (; seed < 100_000n; seed++) {
    const seated = new Set<string>();
    for (let s = 0n; s < seats; s++) seated.add(drawLandsOn(leaves, drawValue(seed, s))!.account);
    if (seated.size === Math.min(members.length, Number(seats))) break;
  }
  if (seed === 100_000n) throw new Error("no seed under 100,000 seats every validator");
  const { useConstantSeed } = await import("../../../scripts/drivers/validation.js");
  await useConstantSeed(connection, validation, await timelock.getAddress(), seed);
  return seed;
}

/** Listing metadata naming the model file (what the validator reads modelURI from). */
export function metadataFor(name: string, modelPath: string): string {
  const json = JSON.stringify({ name, task: "mnist digit classification", modelURI: `file://${modelPath}` });
  return `data:application/json,${encodeURIComponent(json)}`;
}

/**
 * Gives the local chain's default probe-funding account (Hardhat test account #20, past the accounts the node funds)
 * gas and CUR: probe buyers are funded from it, never from a validator's key.
 */
export async function fundProbeFundingAccount(system: System): Promise<void> {
  const { address } = devAccount(DEFAULT_PROBE_FUNDING_DEV_ACCOUNT, null).wallet;
  await system.helpers.setBalance(address, parseEther("100"));
  await (await system.token.connect(system.deployer).transfer(address, parseEther("10000"))).wait();
}

/** {@link fundProbeFundingAccount}, as the funder a service takes (its wallet on `rpc`). */
export async function fundedProbeFunder(system: System, rpc: Provider, tokenAddress: string): Promise<ProbeFunder> {
  await fundProbeFundingAccount(system);
  const funding = devAccount(DEFAULT_PROBE_FUNDING_DEV_ACCOUNT, rpc);
  return new ProbeFunder(funding.wallet, funding.label, tokenAddress);
}
