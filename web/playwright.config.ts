// End-to-end tests in Debian's Chromium against the whole local stack (chain, contracts, indexer, web app), which
// e2e/global-setup.ts starts with scripts/start.ts on free ports and stops afterwards.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  // Screenshots, traces: git-ignored. CURIA_E2E_OUTPUT separates runs of several people in one checkout.
  outputDir: process.env.CURIA_E2E_OUTPUT ?? "test-results",
  // One chain for all specs: they run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    viewport: { width: 1280, height: 900 },
    screenshot: "on",
    trace: "retain-on-failure",
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CURIA_CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
