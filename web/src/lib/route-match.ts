// Route matching without Svelte, for the entry script (main.ts) that starts the opened page's code and data before the
// app has loaded; router.svelte.ts re-exports it. Patterns: `#/path/with/:params?query`, matched in order.
import type { Component } from "svelte";
import type { Endpoints } from "./boot";

/** A page receives its path parameters (`:id`) and the query string. */
export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}
export type Page = Component<PageProps>;

export interface Route {
  /** Pattern such as `/governance/proposals/:id`. */
  path: string;
  /** Loads the page component (a dynamic import: each page is its own chunk, loaded on first visit). */
  load: () => Promise<{ default: Page }>;
  /** Document title. */
  title: string;
  /**
   * Starts the data the page needs first when the app is opened on it (see boot.ts), before the app's code has
   * loaded: `prefetch(key, request)` under the key the page takes it with.
   */
  prefetch?: Prefetch;
}

export type Prefetch = (endpoints: Endpoints, match: Match) => void;

export interface Match {
  route: Route;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** Matches `hash` (with or without the leading `#`) against `routes`. */
export function matchRoute(routes: readonly Route[], hash: string): Match | undefined {
  const raw = hash.replace(/^#/, "") || "/";
  const [pathPart = "/", queryPart = ""] = raw.split("?", 2);
  const segments = pathPart.split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (const [i, part] of pattern.entries()) {
      const segment = segments[i] ?? "";
      if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(segment);
      else if (part !== segment) ok = false;
      if (!ok) break;
    }
    if (ok) return { route, params, query: new URLSearchParams(queryPart) };
  }
  return undefined;
}
