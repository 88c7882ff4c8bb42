// @curia/protocol is publishable: protocol/scripts/build.ts compiles it to JavaScript and .d.ts that plain Node loads
// (no tsx), with the same exports as the TypeScript sources the repository's programs read, and the manifest npm packs
// points every export at them. (`npm pack --dry-run -w protocol` runs the same build through prepack.)
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PROTOCOL, buildDist, distOf, publishedManifest } from "../../protocol/scripts/build.js";

describe("@curia/protocol as a published package", function () {
  const committed = JSON.parse(readFileSync(join(PROTOCOL, "package.json"), "utf8")) as {
    private?: boolean;
    exports: Record<string, string>;
    files: string[];
    license: string;
    version: string;
    dependencies: Record<string, string>;
  };

  it("is publishable: not private, versioned, licensed, and ships dist/ only (with its README and LICENSE)", function () {
    expect(committed.private).to.equal(undefined);
    expect(committed.version).to.match(/^\d+\.\d+\.\d+$/);
    expect(committed.license).to.equal("MIT");
    expect(committed.files).to.have.members(["dist", "README.md", "LICENSE"]);
    expect(existsSync(join(PROTOCOL, "LICENSE"))).to.equal(true);
  });

  it("the published manifest points every export at dist/ JavaScript and declarations", function () {
    const published = publishedManifest(committed);
    expect(Object.keys(published.exports)).to.have.members(Object.keys(committed.exports));
    expect(published.exports["./ethers"]).to.deep.equal({
      types: "./dist/ethers/index.d.ts",
      default: "./dist/ethers/index.js",
    });
    expect(published.main).to.equal("./dist/index.js");
    expect(published.types).to.equal("./dist/index.d.ts");
    expect(published).to.not.have.property("devDependencies");
    expect(published.dependencies).to.deep.equal(committed.dependencies);
  });

  describe("the build", function () {
    let out: string;
    before(function () {
      this.timeout(300_000);
      // Inside protocol/, so that the built files resolve ethers and @noble/hashes as an installed package would.
      out = mkdtempSync(join(PROTOCOL, ".dist-test-"));
      buildDist(out);
    });
    after(function () {
      rmSync(out, { recursive: true, force: true });
    });

    for (const [subpath, source] of Object.entries(
      JSON.parse(readFileSync(join(PROTOCOL, "package.json"), "utf8")).exports as Record<string, string>,
    )) {
      it(`"${subpath}": plain Node loads the built JavaScript, with the sources' exports, and its .d.ts exists`, async function () {
        const { js, dts } = distOf(source);
        const built = join(out, js.replace(/^\.\/dist\//, ""));
        expect(existsSync(join(out, dts.replace(/^\.\/dist\//, ""))), dts).to.equal(true);
        // A child process without tsx: what a consumer of the package runs.
        const result = spawnSync(
          process.execPath,
          [
            "--input-type=module",
            "-e",
            `const m = await import(${JSON.stringify(built)}); console.log(JSON.stringify(Object.keys(m).sort()))`,
          ],
          { encoding: "utf8" },
        );
        expect(result.status, result.stderr).to.equal(0);
        const sourceExports = Object.keys(await import(join(PROTOCOL, source))).sort();
        expect(JSON.parse(result.stdout)).to.deep.equal(sourceExports);
      });
    }
  });
});
