import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import VoteBar from "./vote-bar.svelte";

const CUR = 10n ** 18n;

describe("<VoteBar>", () => {
  it("draws each side in proportion to the larger of votes cast and quorum, and marks the quorum", () => {
    const { container } = render(VoteBar, {
      props: { forVotes: 16_000_000n * CUR, againstVotes: 0n, abstainVotes: 0n, quorum: 20_000_000n * CUR },
    });
    const bar = screen.getByRole("img");
    expect(bar).toHaveAccessibleName(/For 16,000,000, against 0, abstain 0; quorum 20,000,000 not reached/);
    expect((container.querySelector(".bar .for") as HTMLElement).style.width).toBe("80%");
    expect((container.querySelector(".bar .quorum") as HTMLElement).style.left).toBe("100%");
    expect(screen.getByText(/Quorum 16,000,000 \/ 20,000,000 \(80%\)/)).toBeInTheDocument();
  });

  it("says when quorum is reached (For and Abstain count) and scales to the votes cast", () => {
    const { container } = render(VoteBar, {
      props: { forVotes: 15n * CUR, againstVotes: 5n * CUR, abstainVotes: 5n * CUR, quorum: 20n * CUR },
    });
    expect(screen.getByText(/Quorum 20 \/ 20 \(reached\)/)).toBeInTheDocument();
    expect((container.querySelector(".bar .for") as HTMLElement).style.width).toBe("60%");
    expect((container.querySelector(".bar .against") as HTMLElement).style.width).toBe("20%");
    expect((container.querySelector(".bar .quorum") as HTMLElement).style.left).toBe("80%");
  });
});
