import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import VoteBar from "./vote-bar.svelte";

const CUR = 10n ** 18n;
const width = (container: HTMLElement, selector: string): string =>
  (container.querySelector(selector) as HTMLElement).style.width;

describe("<VoteBar>", () => {
  it("puts the quorum mark on the For + Abstain track, never over Against (a defeated proposal)", () => {
    const { container } = render(VoteBar, {
      props: { forVotes: 4n * CUR, againstVotes: 30n * CUR, abstainVotes: 6n * CUR, quorum: 20n * CUR, closed: true },
    });
    const quorumTrack = container.querySelector(".quorum-track") as HTMLElement;
    expect(quorumTrack.querySelector(".against")).toBeNull();
    expect(width(container, ".quorum-track .for")).toBe("20%");
    expect(width(container, ".quorum-track .abstain")).toBe("30%");
    expect((quorumTrack.querySelector(".quorum") as HTMLElement).style.left).toBe("100%");
    expect(width(container, ".support-track .for")).toBe("11.76%");
    expect(width(container, ".support-track .against")).toBe("88.23%");
    expect(screen.getByTestId("quorum-status")).toHaveTextContent("Quorum not met: For + Abstain 10 / 20 (50%)");
    expect(screen.getByRole("img")).toHaveAccessibleName(/quorum 20 not reached \(Quorum not met\)$/);
  });

  it("says the quorum is met on a closed proposal, reached or not yet on an open one", () => {
    const tallies = { forVotes: 15n * CUR, againstVotes: 5n * CUR, abstainVotes: 5n * CUR, quorum: 20n * CUR };
    const closed = render(VoteBar, { props: { ...tallies, closed: true } });
    expect(screen.getByTestId("quorum-status")).toHaveTextContent("Quorum met: For + Abstain 20 / 20");
    expect((closed.container.querySelector(".quorum") as HTMLElement).style.left).toBe("100%");
    closed.unmount();
    render(VoteBar, { props: { ...tallies, forVotes: 10n * CUR } });
    expect(screen.getByTestId("quorum-status")).toHaveTextContent("Not reached yet: For + Abstain 15 / 20 (75%)");
  });
});
