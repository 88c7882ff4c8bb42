/// <reference types="vitest/config" />
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [svelte()],
  base: "./",
  build: { target: "es2022", sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { port: 5173, strictPort: false },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test-setup.ts"],
    pool: "threads",
    maxWorkers: 2,
    // A shared 2-core machine: role queries in jsdom can take seconds under load.
    testTimeout: 30_000,
  },
});
