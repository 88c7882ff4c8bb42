// The app proper, loaded by the entry script (main.ts) while config.json and the first page's data are on their way.
import { mount } from "svelte";
import App from "./app.svelte";
import { configFrom } from "./lib/config";

/** Checks the config (config.json's parsed JSON, `undefined` for the dev defaults) and mounts the app in `target`. */
export function start(target: HTMLElement, rawConfig: unknown): void {
  const config = configFrom(rawConfig);
  mount(App, { target, props: { config, provider: window.ethereum } });
}
