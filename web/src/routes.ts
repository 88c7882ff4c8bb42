// Every page of the app: path pattern → lazily loaded component. Add a page with one line here (see web/README.md).
import type { Route } from "./lib/router.svelte";

export const routes: Route[] = [
  { path: "/", title: "Overview", load: () => import("./routes/home.svelte") },
  { path: "/governance", title: "Proposals", load: () => import("./routes/governance/proposals.svelte") },
];

/** The main navigation: label → path (a section is active for every path under it). */
export const NAV: { label: string; path: string }[] = [
  { label: "Overview", path: "/" },
  { label: "Governance", path: "/governance" },
  { label: "Marketplace", path: "/marketplace" },
];
