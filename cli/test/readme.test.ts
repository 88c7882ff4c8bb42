// The README's `curia` examples, run as written (`npm run curia -- …` through sh) against what `npm start` seeds:
// the demo marketplace (scripts/demo/seed-marketplace.ts) on a fresh local deployment, the chain and deployment
// named by CURIA_RPC_URL and CURIA_DEPLOYMENT as in another terminal of `npm start`.
import { expect } from "chai";
import { exec } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CurationPool__factory, CuriaToken__factory, ListingRegistry__factory } from "@curia/protocol/ethers";
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

  before(async function () {
    system = await deploySystem(dir.path);
    const accounts = await system.connection.ethers.getSigners();
    const { contracts } = system.record;
    await seedMarketplace({
      token: CuriaToken__factory.connect(contracts.CuriaToken!.proxy, accounts[0]),
      registry: ListingRegistry__factory.connect(contracts.ListingRegistry!.proxy, accounts[0]),
      curationPool: CurationPool__factory.connect(contracts.CurationPool!.proxy, accounts[0]),
      accounts,
      increaseTime: async (seconds) => {
        await system.connection.networkHelpers.time.increase(seconds);
      },
    });
  });
  after(async function () {
    await system?.stop();
    dir.remove();
  });

  it("finds the examples: each role's commands", function () {
    const examples = readmeExamples();
    expect(examples.length).to.be.greaterThan(6);
    for (const command of ["consumer buy", "provider list", "provider update-price", "juror stake"])
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
            },
            timeout: 120_000,
          },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
        ),
      );
      expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).to.equal(0);
      expect(result.stdout).to.match(/\d CUR\b/);
    });
  }
});
