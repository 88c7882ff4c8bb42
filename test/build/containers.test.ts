// The container files (docs/containers.md) are never built on these machines (no Docker engine): this checks what
// can be checked without one. The compose files parse; each service's build context and Dockerfile exist; every file
// a Dockerfile copies from the repository exists, and the dependency stages copy every workspace's manifest (npm ci
// needs them all); every variable a service or an image sets is one its program reads, found in the sources the
// image copies; every variable the compose files take from the environment is read by a program or documented.
// And .env.example lists exactly the variables the code reads.
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { PUBLIC_CHAINS } from "../../protocol/src/networks.js";
import { reachableFiles, workspaceDirs } from "../../scripts/lib/dependency-audit.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const COMPOSE_DIR = join(ROOT, "deploy", "compose");
const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.gpu.yml"];
const CODE = /\.(ts|mts|mjs|js)$/;

/** Variables an image may set that are not Curia's: what reads each. */
const FOREIGN_ENV: Record<string, string> = {
  NODE_ENV: "Node packages (graphql-js skips its dev checks in production)",
  ONNXRUNTIME_NODE_INSTALL: "onnxruntime-node's install script (cuda12: fetch the CUDA provider; skip: CPU only)",
  npm_config_audit: "npm",
  npm_config_fund: "npm",
};

interface Service {
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string | number | null>;
  command?: string[];
  volumes?: string[];
  ports?: string[];
}

function codeFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return CODE.test(path) ? [path] : [];
  return readdirSync(path).flatMap((entry) => (entry === "node_modules" ? [] : codeFiles(join(path, entry))));
}

const readsVariable = (files: string[], name: string) =>
  files.some((file) => new RegExp(`\\b${name}\\b`).test(readFileSync(file, "utf8")));

interface Dockerfile {
  /** Repository paths the COPY instructions take from the build context (not from another stage). */
  fromContext: string[];
  /** Repository paths the final image holds: copied from the context or from a stage that built in /src. */
  program: string[];
  /** Names set by ENV instructions. */
  env: string[];
  /** The Node script the image runs (ENTRYPOINT ["node", "<script>"]), if it runs one. */
  entry?: string;
}

function readDockerfile(path: string): Dockerfile {
  // Continuation lines joined; comments dropped.
  const lines = readFileSync(path, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const fromContext: string[] = [];
  const program: string[] = [];
  const env: string[] = [];
  let entry: string | undefined;
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    if (instruction === "COPY") {
      const from = rest.find((a) => a.startsWith("--from="));
      const args = rest.filter((a) => !a.startsWith("--"));
      const sources = args.slice(0, -1);
      for (const source of sources) {
        if (from === undefined) {
          fromContext.push(source);
          if (source !== "." && source !== "./") program.push(source);
        } else if (source.startsWith("/src/")) {
          program.push(source.slice("/src/".length));
        }
      }
    } else if (instruction === "ENV") {
      // ENV A=1 B=2 (the only form used here)
      for (const pair of rest) if (pair.includes("=")) env.push(pair.split("=")[0]!);
    } else if (instruction === "ENTRYPOINT") {
      const args = JSON.parse(rest.join(" ")) as string[];
      if (args[0] === "node") entry = args[1];
    }
  }
  return { fromContext, program, env, ...(entry !== undefined ? { entry } : {}) };
}

describe("Containers (checked without Docker)", function () {
  const composes = COMPOSE_FILES.map((file) => {
    const text = readFileSync(join(COMPOSE_DIR, file), "utf8");
    return { file, text, doc: parse(text, { merge: true }) as { services: Record<string, Service> } };
  });
  const main = composes[0]!.doc;
  const docs = readFileSync(join(ROOT, "docs", "containers.md"), "utf8");

  it("the compose file runs the indexer, the validator, the provider and the web app, each built from a Dockerfile", function () {
    expect(Object.keys(main.services)).to.have.members(["indexer", "validator", "provider", "web"]);
    for (const [name, service] of Object.entries(main.services)) {
      expect(service.build, name).to.not.equal(undefined);
      const context = join(COMPOSE_DIR, service.build!.context);
      expect(existsSync(context), `${name}: context ${context}`).to.equal(true);
      const dockerfile = join(context, service.build!.dockerfile ?? "Dockerfile");
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).to.equal(true);
    }
    // The GPU override only adds to a service of the main file.
    for (const name of Object.keys(composes[1]!.doc.services)) expect(main.services).to.have.property(name);
  });

  for (const [name, service] of Object.entries(
    parse(readFileSync(join(COMPOSE_DIR, COMPOSE_FILES[0]!), "utf8"), {
      merge: true,
    }).services as Record<string, Service>,
  )) {
    const context = join(COMPOSE_DIR, service.build!.context);
    const dockerfilePath = join(context, service.build!.dockerfile ?? "Dockerfile");

    it(`${name}: every file its Dockerfile copies exists, and its dependency stages copy every workspace's manifest`, function () {
      const dockerfile = readDockerfile(dockerfilePath);
      for (const source of dockerfile.fromContext) {
        expect(existsSync(join(context, source)), `${relative(ROOT, dockerfilePath)}: COPY ${source}`).to.equal(true);
      }
      if (dockerfile.fromContext.includes("package-lock.json")) {
        for (const workspace of workspaceDirs(ROOT)) {
          expect(dockerfile.fromContext, `${relative(ROOT, dockerfilePath)}: ${workspace}/package.json`).to.include(
            `${workspace}/package.json`,
          );
        }
      }
    });

    it(`${name}: every variable the service and its image set is one its program reads`, function () {
      const dockerfile = readDockerfile(dockerfilePath);
      // What the program loads from its entry (the indexer's bin bundles src/cli.ts), among the files the image holds.
      const held = new Set(dockerfile.program.flatMap((path) => codeFiles(join(context, path))));
      const entries =
        dockerfile.entry === undefined
          ? []
          : [join(context, dockerfile.entry), join(context, dirname(dirname(dockerfile.entry)), "src", "cli.ts")];
      const sources = reachableFiles(ROOT, entries).filter((file) => held.has(file));
      if (dockerfile.entry !== undefined) expect(sources.length, `${name}: sources found`).to.be.greaterThan(5);
      const set = [
        ...Object.keys(service.environment ?? {}),
        ...composes.flatMap((c) => Object.keys(c.doc.services[name]?.environment ?? {})),
        ...dockerfile.env,
      ];
      const unread = [...new Set(set)].filter((v) => FOREIGN_ENV[v] === undefined && !readsVariable(sources, v));
      expect(unread, `${name}: set but read by no file the image holds`).to.deep.equal([]);
    });
  }

  it("every variable the compose files take from the environment is read by a program or documented", function () {
    const programs = ["indexer", "validator", "provider", "protocol"].flatMap((w) => codeFiles(join(ROOT, w, "src")));
    const taken = composes.flatMap((c) => [...c.text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
    expect(taken.length).to.be.greaterThan(10);
    const unexplained = [...new Set(taken)].filter((v) => !readsVariable(programs, v) && !docs.includes(`\`${v}\``));
    expect(unexplained).to.deep.equal([]);
  });

  it("the checks see a variable no program reads (a compose file naming one would fail)", function () {
    const sources = codeFiles(join(ROOT, "validator", "src"));
    expect(readsVariable(sources, "CURIA_KEYSTORE")).to.equal(true);
    expect(readsVariable(sources, "CURIA_VALIDATOR_KEYSTORE")).to.equal(false);
  });

  it(".dockerignore keeps dependencies, build outputs, local state and secrets out of the images", function () {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of [
      "**/node_modules",
      "artifacts",
      "protocol/src/generated",
      "subgraph/build",
      ".curia",
      ".env",
    ]) {
      expect(ignored).to.include(entry);
    }
  });

  it(".env.example lists exactly the variables the code reads (CURIA_*, BENCH_*)", function () {
    const code = [
      "scripts",
      "deploy",
      "hardhat.config.ts",
      "protocol/src",
      "subgraph/scripts",
      ...["indexer", "validator", "provider", "cli"].flatMap((w) => [
        `${w}/src`,
        `${w}/bin`,
        `${w}/bench`,
        `${w}/examples`,
      ]),
      "web/src",
      "web/scripts",
      "web/bench",
      "web/e2e",
      "web/playwright.config.ts",
      "web/vite.config.ts",
    ].flatMap((p) => codeFiles(join(ROOT, p)));
    const read = new Set(
      code.flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(/\b((?:CURIA|BENCH)_[A-Z0-9_]+)\b/g)].map((m) => m[1]!),
      ),
    );
    expect(read.size).to.be.greaterThan(50);
    // hardhat.config.ts names each public network's RPC variable from protocol/src/networks.ts.
    for (const chain of PUBLIC_CHAINS) read.add(`CURIA_${chain.graphNetwork.toUpperCase().replace(/-/g, "_")}_RPC_URL`);
    const listed = new Set(
      [...readFileSync(join(ROOT, ".env.example"), "utf8").matchAll(/^#? ?((?:CURIA|BENCH)_[A-Z0-9_]+)=/gm)].map(
        (m) => m[1]!,
      ),
    );
    expect([...read].filter((v) => !listed.has(v)).sort(), "read but not in .env.example").to.deep.equal([]);
    expect([...listed].filter((v) => !read.has(v)).sort(), "in .env.example but read nowhere").to.deep.equal([]);
  });
});
