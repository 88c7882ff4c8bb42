import { describe, expect, it, vi } from "vitest";
import type { GraphQLClient } from "../graphql/client";
import {
  cancelRight,
  countByState,
  filterProposals,
  proposalState,
  prefetchProposals,
  proposalsOnce,
  proposalTitle,
  type ProposalSummary,
} from "./proposals";

const CUR = 10n ** 18n;
function proposal(overrides: Partial<ProposalSummary>): ProposalSummary {
  return {
    id: "1",
    proposalId: "1",
    proposer: { id: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" },
    description: "# Lower the fee\n\nBody",
    status: "Pending",
    voteStart: "1000",
    voteEnd: "2000",
    quorum: (20n * CUR).toString(),
    forVotes: "0",
    againstVotes: "0",
    abstainVotes: "0",
    voteCount: 0,
    actionCount: 1,
    eta: null,
    createdAt: "900",
    ...overrides,
  };
}

describe("proposalState", () => {
  it("follows the Governor: pending until the snapshot, active until the deadline (both inclusive)", () => {
    const p = proposal({});
    expect(proposalState(p, 999n)).toBe("Pending");
    expect(proposalState(p, 1000n)).toBe("Pending");
    expect(proposalState(p, 1001n)).toBe("Active");
    expect(proposalState(p, 2000n)).toBe("Active");
  });

  it("after the deadline: succeeded only with quorum (For + Abstain) and more For than Against", () => {
    const after = 2001n;
    expect(proposalState(proposal({ forVotes: (21n * CUR).toString() }), after)).toBe("Succeeded");
    expect(proposalState(proposal({ forVotes: (19n * CUR).toString() }), after)).toBe("Defeated");
    expect(
      proposalState(proposal({ forVotes: (10n * CUR).toString(), abstainVotes: (10n * CUR).toString() }), after),
    ).toBe("Succeeded");
    expect(
      proposalState(proposal({ forVotes: (30n * CUR).toString(), againstVotes: (30n * CUR).toString() }), after),
    ).toBe("Defeated");
  });

  it("takes Queued, Executed and Canceled from the indexed status", () => {
    expect(proposalState(proposal({ status: "Queued" }), 5000n)).toBe("Queued");
    expect(proposalState(proposal({ status: "Executed" }), 5000n)).toBe("Executed");
    expect(proposalState(proposal({ status: "Canceled" }), 1500n)).toBe("Canceled");
  });
});

describe("filterProposals", () => {
  const list = [
    proposal({ id: "1", proposalId: "111", description: "# Lower the fee", status: "Executed" }),
    proposal({
      id: "2",
      proposalId: "222",
      description: "# Treasury grant to the audit team",
      voteStart: "5000",
      voteEnd: "9000",
    }),
    proposal({
      id: "3",
      proposalId: "333",
      description: "# Raise the bond",
      proposer: { id: "0xabc0000000000000000000000000000000000def" },
    }),
  ];

  it("filters by state at the given chain time", () => {
    expect(filterProposals(list, 3000n, "Executed", "").map((p) => p.id)).toEqual(["1"]);
    expect(filterProposals(list, 3000n, "Pending", "").map((p) => p.id)).toEqual(["2"]);
    expect(filterProposals(list, 3000n, "Defeated", "").map((p) => p.id)).toEqual(["3"]);
    expect(filterProposals(list, 3000n, "All", "")).toHaveLength(3);
  });

  it("searches title and text, proposer and id, case-insensitively, combined with the state", () => {
    expect(filterProposals(list, 3000n, "All", "TREASURY").map((p) => p.id)).toEqual(["2"]);
    expect(filterProposals(list, 3000n, "All", "0xABC").map((p) => p.id)).toEqual(["3"]);
    expect(filterProposals(list, 3000n, "All", "333").map((p) => p.id)).toEqual(["3"]);
    expect(filterProposals(list, 3000n, "Executed", "bond")).toEqual([]);
  });

  it("counts proposals per state", () => {
    const counts = countByState(list, 3000n);
    expect(counts.All).toBe(3);
    expect(counts.Executed).toBe(1);
    expect(counts.Pending).toBe(1);
    expect(counts.Defeated).toBe(1);
    expect(counts.Active).toBeUndefined();
  });
});

describe("proposalTitle", () => {
  it("is the first line without the markdown heading mark", () => {
    expect(proposalTitle("# Lower the fee\n\nBecause")).toBe("Lower the fee");
    expect(proposalTitle("Plain title")).toBe("Plain title");
    expect(proposalTitle("  \n")).toBe("(untitled proposal)");
  });
});

describe("cancelRight (GovernorProposalGuardian's rules)", () => {
  const GUARDIAN = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  const PROPOSER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  const OTHER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
  const NONE = "0x0000000000000000000000000000000000000000";

  it("lets the guardian cancel in any state but canceled, expired and executed", () => {
    for (const state of ["Pending", "Active", "Succeeded", "Defeated", "Queued"] as const) {
      expect(cancelRight(state, GUARDIAN.toUpperCase().replace("0X", "0x"), PROPOSER, GUARDIAN)).toBe("guardian");
    }
    for (const state of ["Canceled", "Expired", "Executed"] as const) {
      expect(cancelRight(state, GUARDIAN, PROPOSER, GUARDIAN)).toBeUndefined();
    }
  });

  it("lets the proposer cancel only while pending when there is a guardian, in any open state when there is none", () => {
    expect(cancelRight("Pending", PROPOSER.toLowerCase(), PROPOSER, GUARDIAN)).toBe("proposer");
    expect(cancelRight("Active", PROPOSER, PROPOSER, GUARDIAN)).toBeUndefined();
    expect(cancelRight("Queued", PROPOSER, PROPOSER, GUARDIAN)).toBeUndefined();
    expect(cancelRight("Active", PROPOSER, PROPOSER, NONE)).toBe("proposer");
    expect(cancelRight("Queued", PROPOSER, PROPOSER, NONE)).toBe("proposer");
    expect(cancelRight("Executed", PROPOSER, PROPOSER, NONE)).toBeUndefined();
  });

  it("gives nobody else (nor a disconnected wallet) the right", () => {
    expect(cancelRight("Pending", OTHER, PROPOSER, GUARDIAN)).toBeUndefined();
    expect(cancelRight("Pending", OTHER, PROPOSER, NONE)).toBeUndefined();
    expect(cancelRight("Pending", undefined, PROPOSER, GUARDIAN)).toBeUndefined();
    // The zero address is "no guardian", never an account that may cancel.
    expect(cancelRight("Active", NONE, PROPOSER, NONE)).toBeUndefined();
  });
});

describe("the proposal list prefetched at start-up", () => {
  it("is taken once, from the same indexer only; later visits fetch afresh", async () => {
    const indexed = [proposal({ id: "1" })];
    const served = vi.fn(async () => new Response(JSON.stringify({ data: { proposals: indexed } })));
    vi.stubGlobal("fetch", served);
    try {
      prefetchProposals("http://indexer/a");
      expect(served).toHaveBeenCalledTimes(1); // requested at once, before any page asks
      const gql = (url: string): GraphQLClient => ({
        url,
        request: vi.fn(async () => ({ proposals: [proposal({ id: "2" })] }) as never),
      });
      const elsewhere = gql("http://indexer/b");
      expect((await proposalsOnce(elsewhere)).map((p) => p.id)).toEqual(["2"]);
      const same = gql("http://indexer/a");
      expect((await proposalsOnce(same)).map((p) => p.id)).toEqual(["1"]);
      expect(same.request).not.toHaveBeenCalled();
      expect((await proposalsOnce(same)).map((p) => p.id)).toEqual(["2"]);
      expect(same.request).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
