import { describe, expect, it } from "vitest";
import { checkChallenge, checkStake, checkUnstake } from "./curation-forms";
import { effectiveStatus, filterListings, listingName, parseMetadata, type ListingSummary } from "./listings";

const CUR = 10n ** 18n;

function listing(id: string, overrides: Partial<ListingSummary>): ListingSummary {
  return {
    id,
    listingId: id,
    provider: "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc",
    modelHash: "0x00",
    metadataURI: `data:application/json,${encodeURIComponent(JSON.stringify({ name: `model-${id}`, task: "digits" }))}`,
    endpointURI: "http://127.0.0.1:8600/x",
    pricePerCall: (1n * CUR).toString(),
    bond: "0",
    status: "Active",
    paused: false,
    qualityBps: null,
    activatesAt: "0",
    purchaseCount: 0,
    callsSold: "0",
    revenue: "0",
    curatorStake: "0",
    curatorShares: "0",
    curatorThawingStake: "0",
    createdAt: id,
    ...overrides,
  };
}

describe("listing metadata", () => {
  it("reads data: JSON metadata, plain or base64, and falls back to the id", () => {
    expect(parseMetadata(`data:application/json,${encodeURIComponent('{"name":"a b","description":"d"}')}`)).toEqual({
      name: "a b",
      description: "d",
    });
    expect(parseMetadata(`data:application/json;base64,${btoa('{"name":"x"}')}`)).toEqual({ name: "x" });
    expect(parseMetadata("ipfs://Qm123")).toEqual({});
    expect(listingName({ id: "7", metadataURI: "https://example.org/m.json" })).toBe("Listing #7");
  });
});

describe("filterListings", () => {
  const list = [
    listing("1", { qualityBps: 9000, curatorStake: (100n * CUR).toString(), pricePerCall: (3n * CUR).toString() }),
    listing("2", { qualityBps: 4000, curatorStake: (900n * CUR).toString(), pricePerCall: (1n * CUR).toString() }),
    listing("3", {
      qualityBps: null,
      curatorStake: "0",
      pricePerCall: (2n * CUR).toString(),
      status: "Pending",
      activatesAt: "500",
    }),
    listing("4", { qualityBps: 9500, status: "Delisted" }),
  ];
  const ids = (l: ListingSummary[]) => l.map((x) => x.id);

  it("sorts by quality (unverified at the default), stake and price", () => {
    expect(
      ids(filterListings(list, { search: "", status: "All", sort: "quality", defaultQualityBps: 5000 }, 0n)),
    ).toEqual(["4", "1", "3", "2"]);
    expect(ids(filterListings(list, { search: "", status: "All", sort: "stake" }, 0n)).slice(0, 2)).toEqual(["2", "1"]);
    expect(ids(filterListings(list, { search: "", status: "All", sort: "price-asc" }, 0n))).toEqual([
      "2",
      "4",
      "3",
      "1",
    ]);
    expect(ids(filterListings(list, { search: "", status: "All", sort: "price-desc" }, 0n))[0]).toBe("1");
  });

  it("filters by effective status (a pending listing past its application period is active) and searches", () => {
    expect(ids(filterListings(list, { search: "", status: "Pending", sort: "stake" }, 100n))).toEqual(["3"]);
    expect(ids(filterListings(list, { search: "", status: "Active", sort: "price-asc" }, 600n))).toEqual([
      "2",
      "3",
      "1",
    ]);
    expect(effectiveStatus(list[2]!, 500n)).toBe("Active");
    expect(ids(filterListings(list, { search: "MODEL-2", status: "All", sort: "stake" }, 0n))).toEqual(["2"]);
    expect(ids(filterListings(list, { search: "#4", status: "All", sort: "stake" }, 0n))).toEqual(["4"]);
  });
});

describe("curation form checks", () => {
  const ctx = { balance: 1000n * CUR, active: 0n, minStake: 100n * CUR, status: "Active" as const };

  it("stake: a number, within the balance, leaving a position of at least the minimum, on an open listing", () => {
    expect(checkStake("250.5", ctx)).toEqual({ ok: true, amount: 2505n * 10n ** 17n });
    expect(checkStake("abc", ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/Enter an amount/) });
    expect(checkStake("0", ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/greater than zero/) });
    expect(checkStake("1001", ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/hold only 1,000 CUR/) });
    expect(checkStake("50", ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/at least 100 CUR/) });
    expect(checkStake("50", { ...ctx, active: 100n * CUR }).ok).toBe(true);
    expect(checkStake("500", { ...ctx, status: "Delisted" })).toMatchObject({ ok: false });
  });

  it("unstake: at most the active stake, leaving zero or at least the minimum", () => {
    const u = { active: 500n * CUR, minStake: 100n * CUR };
    expect(checkUnstake("500", u)).toEqual({ ok: true, amount: 500n * CUR });
    expect(checkUnstake("400", u)).toEqual({ ok: true, amount: 400n * CUR });
    expect(checkUnstake("450", u)).toMatchObject({ ok: false, error: expect.stringMatching(/at most 400 CUR/) });
    expect(checkUnstake("600", u)).toMatchObject({ ok: false, error: expect.stringMatching(/500 CUR staked/) });
    expect(checkUnstake("1", { active: 0n, minStake: 0n })).toMatchObject({ ok: false });
  });

  it("challenge: bond ≥ minimum, bond + fee within the balance, evidence as a URI", () => {
    const c = { balance: 2000n * CUR, minBond: 1000n * CUR, fee: 300n * CUR, status: "Active" as const };
    expect(checkChallenge("1000", "ipfs://bafy/report.pdf", c)).toEqual({
      ok: true,
      bond: 1000n * CUR,
      evidence: "ipfs://bafy/report.pdf",
    });
    const low = checkChallenge("999", "https://x.org/e", c);
    expect(!low.ok && low.errors.bond).toMatch(/at least 1,000 CUR/);
    const poor = checkChallenge("1800", "https://x.org/e", c);
    expect(!poor.ok && poor.errors.bond).toMatch(/exceeds your 2,000 CUR/);
    const noEvidence = checkChallenge("1000", "just trust me", c);
    expect(!noEvidence.ok && noEvidence.errors.evidence).toMatch(/https:\/\//);
    const closed = checkChallenge("1000", "https://x.org/e", { ...c, status: "Challenged" });
    expect(!closed.ok && closed.errors.status).toMatch(/challenged/);
  });
});
