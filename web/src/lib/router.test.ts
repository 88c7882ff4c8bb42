import { describe, expect, it } from "vitest";
import { href, matchRoute, type Route } from "./router.svelte";

const page = () => Promise.reject(new Error("not loaded in this test"));
const routes: Route[] = [
  { path: "/", title: "Home", load: page },
  { path: "/governance", title: "Proposals", load: page },
  { path: "/governance/new", title: "New", load: page },
  { path: "/governance/proposals/:id", title: "Proposal", load: page },
];

describe("router", () => {
  it("matches in order, with parameters and the query string", () => {
    expect(matchRoute(routes, "")?.route.title).toBe("Home");
    expect(matchRoute(routes, "#/governance/new")?.route.title).toBe("New");
    const m = matchRoute(routes, "#/governance/proposals/123?tab=votes");
    expect(m?.route.title).toBe("Proposal");
    expect(m?.params).toEqual({ id: "123" });
    expect(m?.query.get("tab")).toBe("votes");
    expect(matchRoute(routes, "#/nowhere")).toBeUndefined();
    expect(matchRoute(routes, "#/governance/proposals")).toBeUndefined();
  });

  it("builds links that round-trip", () => {
    const link = href("/governance/proposals/:id", { id: "a b" }, { tab: "votes" });
    expect(link).toBe("#/governance/proposals/a%20b?tab=votes");
    expect(matchRoute(routes, link)?.params.id).toBe("a b");
  });
});
