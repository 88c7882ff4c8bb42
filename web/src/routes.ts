// Every page of the app: path pattern → lazily loaded component. Add a page with one line here (see web/README.md).
// A route's `prefetch` starts the data its page needs first when the app is opened on it (see lib/boot.ts).
import type { Route } from "./lib/route-match";
import { prefetchProposals } from "./lib/governance/proposals";

export const routes: Route[] = [
  { path: "/", title: "Overview", load: () => import("./routes/home.svelte") },
  {
    path: "/governance",
    title: "Proposals",
    load: () => import("./routes/governance/proposals.svelte"),
    prefetch: ({ graphqlUrl }) => prefetchProposals(graphqlUrl),
  },
  { path: "/governance/new", title: "New proposal", load: () => import("./routes/governance/new-proposal.svelte") },
  { path: "/governance/delegates", title: "Delegates", load: () => import("./routes/governance/delegates.svelte") },
  { path: "/governance/proposals/:id", title: "Proposal", load: () => import("./routes/governance/proposal.svelte") },
  { path: "/marketplace", title: "Marketplace", load: () => import("./routes/marketplace/listings.svelte") },
  { path: "/marketplace/mine", title: "My listings", load: () => import("./routes/marketplace/mine.svelte") },
  { path: "/marketplace/listings/:id", title: "Listing", load: () => import("./routes/marketplace/listing.svelte") },
  { path: "/court", title: "Court", load: () => import("./routes/court/disputes.svelte") },
  { path: "/court/juror", title: "Juror staking", load: () => import("./routes/court/juror.svelte") },
  { path: "/court/disputes/:id", title: "Dispute", load: () => import("./routes/court/dispute.svelte") },
  { path: "/validators", title: "Validators", load: () => import("./routes/validators/validators.svelte") },
  { path: "/validators/rounds", title: "Validation rounds", load: () => import("./routes/validators/rounds.svelte") },
  { path: "/validators/stake", title: "Validator staking", load: () => import("./routes/validators/stake.svelte") },
  { path: "/validators/:id", title: "Validator", load: () => import("./routes/validators/validator.svelte") },
  { path: "/dashboard", title: "Dashboard", load: () => import("./routes/dashboard/dashboard.svelte") },
];

/** The main navigation: label → path (a section is active for every path under it). */
export const NAV: { label: string; path: string }[] = [
  { label: "Overview", path: "/" },
  { label: "Governance", path: "/governance" },
  { label: "Marketplace", path: "/marketplace" },
  { label: "Court", path: "/court" },
  { label: "Validators", path: "/validators" },
  { label: "Dashboard", path: "/dashboard" },
];
