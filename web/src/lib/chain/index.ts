// The chain context (config + public client) shared through Svelte context, like the wallet.
import { getContext, setContext } from "svelte";
import type { ChainContext } from "./context";

const KEY = Symbol("chain");

export function setChain(ctx: ChainContext): ChainContext {
  return setContext(KEY, ctx);
}

export function getChain(): ChainContext {
  const ctx = getContext<ChainContext | undefined>(KEY);
  if (!ctx) throw new Error("no ChainContext in context: render inside <App> or pass one in the test's context");
  return ctx;
}

export const CHAIN_CONTEXT_KEY = KEY;
