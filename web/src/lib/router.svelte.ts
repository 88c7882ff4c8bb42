// A small hash router: `#/path/with/:params?query`. Routes are matched in order; the first match wins.
import type { Component } from "svelte";

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
}

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

/** Builds a link: `href("/governance/proposals/:id", { id: "12" })` → `#/governance/proposals/12`. */
export function href(
  path: string,
  params: Record<string, string | number | bigint> = {},
  query?: Record<string, string>,
): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name] ?? "")));
  const search = query === undefined ? "" : new URLSearchParams(query).toString();
  return `#${filled}${search ? `?${search}` : ""}`;
}

/** Navigates (adds a history entry). */
export function navigate(path: string): void {
  window.location.hash = path.startsWith("#") ? path : `#${path}`;
}

/** The current location, reactive. One instance, created by App. */
export class Router {
  hash = $state(typeof window === "undefined" ? "#/" : window.location.hash || "#/");
  readonly routes: readonly Route[];
  current = $derived.by(() => matchRoute(this.routes, this.hash));

  constructor(routes: readonly Route[]) {
    this.routes = routes;
  }

  /** Starts following `hashchange`; returns the function that stops it. */
  listen(): () => void {
    const update = (): void => {
      this.hash = window.location.hash || "#/";
    };
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }
}
