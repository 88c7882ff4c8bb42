import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ProposalSummary } from "../../governance/proposals";
import ProposalList from "./proposal-list.svelte";

function proposal(i: number, overrides: Partial<ProposalSummary> = {}): ProposalSummary {
  return {
    id: String(i),
    proposalId: String(1000 + i),
    proposer: { id: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8" },
    description: `# Proposal number ${i}\n\nText`,
    status: "Pending",
    voteStart: "1000",
    voteEnd: "2000",
    quorum: "100",
    forVotes: "0",
    againstVotes: "0",
    abstainVotes: "0",
    voteCount: 0,
    actionCount: 1,
    eta: null,
    createdAt: String(900 - i),
    ...overrides,
  };
}

describe("<ProposalList>", () => {
  const list = [
    proposal(1, { description: "# Lower the marketplace fee", status: "Executed" }),
    proposal(2, { description: "# Treasury grant", status: "Queued", eta: "5000" }),
    proposal(3, { description: "# Raise the bond", forVotes: "10" }),
    proposal(4, { description: "# Longer voting", voteStart: "3000", voteEnd: "4000" }),
  ];

  it("filters by state with counts, and searches", async () => {
    render(ProposalList, { props: { proposals: list, now: 2500n } });
    expect(screen.getByTestId("proposal-count")).toHaveTextContent("4 proposals");
    expect(screen.getByRole("button", { name: /Defeated 1/ })).toBeInTheDocument();

    await fireEvent.click(screen.getByRole("button", { name: /^Queued/ }));
    expect(screen.getByRole("button", { name: /^Queued/ })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getAllByRole("listitem")).toHaveLength(1);
    expect(screen.getByRole("link", { name: "Treasury grant" })).toHaveAttribute("href", "#/governance/proposals/2");
    expect(screen.getByText(/executable in 41 min/)).toBeInTheDocument();

    await fireEvent.click(screen.getByRole("button", { name: /^All/ }));
    await fireEvent.input(screen.getByLabelText("Search proposals"), { target: { value: "FEE" } });
    expect(screen.getByTestId("proposal-count")).toHaveTextContent("1 proposal");
    const item = screen.getByRole("listitem");
    expect(within(item).getByText("Executed")).toBeInTheDocument();

    await fireEvent.input(screen.getByLabelText("Search proposals"), { target: { value: "nothing like this" } });
    expect(screen.getByText(/No proposal matches “nothing like this”/)).toBeInTheDocument();
  });

  it("renders a page at a time and shows more on request", async () => {
    const many = Array.from({ length: 120 }, (_, i) => proposal(i + 1));
    const { container } = render(ProposalList, { props: { proposals: many, now: 1500n, pageSize: 50 } });
    expect(container.querySelectorAll("ol.list > li")).toHaveLength(50);
    await fireEvent.click(screen.getByText("Show more (70 left)"));
    expect(container.querySelectorAll("ol.list > li")).toHaveLength(100);
    expect(container.querySelectorAll(".badge.Active")).toHaveLength(100);
  });
});
