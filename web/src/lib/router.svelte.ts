// A small hash router: `#/path/with/:params?query`. Routes are matched in order; the first match wins.
import { matchRoute, type Route } from "./route-match";

export { matchRoute, type Match, type Page, type PageProps, type Prefetch, type Route } from "./route-match";

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
