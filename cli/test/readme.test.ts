// The README's `curia` examples, run as written (`npm run curia -- …` through sh) against what `npm start` seeds:
// the demo marketplace (scripts/demo/seed-marketplace.ts) on a fresh local deployment, the chain and deployment
// named by CURIA_RPC_URL and CURIA_DEPLOYMENT as in another terminal of `npm start`. Listing 1 is served by the
// provider middleware in-process (npm start runs the sample provider there); the keystore and receipts go to a
// temporary directory through CURIA_KEYSTORE and CURIA_RECEIPTS_DIR, with the password in CURIA_KEYSTORE_PASSWORD
// (a person types it).
import { expect } from "chai";
import { exec } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, type TypedDataDomain } from "ethers";
import { HARDHAT_TEST_MNEMONIC, inferenceDomain } from "@curia/protocol";
import {
  ChainClock,
  CurationPool__factory,
  CuriaToken__factory,
  ListingRegistry__factory,
} from "@curia/protocol/ethers";
import { ProviderCore, curiaNodeHttp } from "../../provider/src/middleware/index.js";
import { seedMarketplace } from "../../scripts/demo/seed-marketplace.js";
import { REPO_ROOT, deploySystem, temporaryDirectory, type System } from "../../provider/test/helpers/chain.js";

/** The sh block under the README's "From the command line (`curia`)" heading, one command per entry. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### From the command line (`curia`)"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error("the README has no sh block under its curia heading");
  return block
    .replace(/\s*\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

describe("the README's curia examples run as written", function () {
  const dir = temporaryDirectory("curia-readme-test-");
  let system: System;
  let server: Server;
  let rpc: JsonRpcProvider;
  let clock: ChainClock;

  before(async function () {
    system = await deploySystem(dir.path);
    rpc = new JsonRpcProvider(system.chain.url);
    server = createServer((request, response) => void handler(request, response));
    let handler: ReturnType<typeof curiaNodeHttp> = async () => {};
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/listings/1/infer`;
    const accounts = await system.connection.ethers.getSigners();
    const { contracts } = system.record;
    await seedMarketplace({
      endpoints: [endpoint],
      token: CuriaToken__factory.connect(contracts.CuriaToken!.proxy, accounts[0]),
      registry: ListingRegistry__factory.connect(contracts.ListingRegistry!.proxy, accounts[0]),
      curationPool: CurationPool__factory.connect(contracts.CurationPool!.proxy, accounts[0]),
      accounts,
      increaseTime: async (seconds) => {
        await system.connection.networkHelpers.time.increase(seconds);
      },
    });
    // Listing 1's provider (#5, its own serving key) answers 10 class scores per 784-pixel input.
    clock = await ChainClock.start(rpc, 0);
    const { modelHash } = await system.registry.getListing(1n);
    const core = new ProviderCore({
      domain: inferenceDomain(system.record.chainId, await system.registry.getAddress()) as TypedDataDomain,
      listings: [{ listingId: 1n, modelHash }],
      servingKey: HDNodeWallet.fromPhrase(HARDHAT_TEST_MNEMONIC, undefined, "m/44'/60'/0'/0/5"),
      callsPurchased: (id, caller) => system.registry.callsPurchased(id, caller),
      inputSize: 784,
      chainNow: () => clock.now(),
    });
    handler = curiaNodeHttp(core, ({ count }) =>
      new Float32Array(count * 10).map((_, i) => (i % 10 === 7 ? 0.9 : 0.01)),
    );
  });
  after(async function () {
    server?.close();
    clock?.stop();
    rpc?.destroy();
    await system?.stop();
    dir.remove();
  });

  it("finds the examples: each role's commands", function () {
    const examples = readmeExamples();
    expect(examples.length).to.be.greaterThan(6);
    for (const command of [
      "consumer buy",
      "consumer call",
      "consumer verify-receipt",
      "provider create-listing",
      "provider update-price",
      "provider update-endpoint",
      "provider update-metadata",
      "juror stake",
      "validator key new",
      "validator stake",
      "validator status",
    ])
      expect(examples.join("\n")).to.include(command);
  });

  for (const [i, line] of readmeExamples().entries()) {
    it(`#${i + 1}: ${line.replace(/\s+#.*$/, "")}`, async function () {
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        exec(
          line,
          {
            cwd: REPO_ROOT,
            env: {
              ...process.env,
              CURIA_RPC_URL: system.chain.url,
              CURIA_DEPLOYMENT: system.deploymentPath,
              CURIA_KEY: "",
              CURIA_KEYSTORE: join(dir.path, "keystore.json"),
              CURIA_KEYSTORE_PASSWORD: "a password for the README",
              CURIA_KEYSTORE_PASSWORD_FILE: "",
              CURIA_RECEIPTS_DIR: join(dir.path, "receipts"),
            },
            timeout: 120_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
        ),
      );
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).to.equal(0);
      // What each kind of example must print: amounts in CUR, a verdict, a receipt, an address.
      const command = / -- (?:--dev-account \d+ )?(\w+ [\w-]+(?: [\w-]+)?)/.exec(line)?.[1] ?? "";
      const expected: [RegExp, RegExp][] = [
        [/^consumer call/, /^receipt 0x[0-9a-f]{64}, signed by the listing's serving key:$/m],
        [/^consumer verify-receipt/, /^valid: receipt 0x[0-9a-f]{64} of listing 1, signed by its serving key 0x/m],
        [/^validator key/, /0x[0-9a-fA-F]{40}/],
        [/^provider update-(endpoint|metadata)/, /^listing 3's (endpoint|metadata) is now /m],
        [/./, /\d CUR\b/],
      ];
      expect(result.stdout, line).to.match(expected.find(([which]) => which.test(command))![1]);
    });
  }
});
