import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { MembershipRow } from "../../validation/validators";
import CommitteeSeats from "./committee-seats.svelte";

const CUR = 10n ** 18n;

const seat = (roundId: string, over: Partial<MembershipRow> = {}): MembershipRow => ({
  id: `${roundId}-v`,
  stakeAtRisk: "0",
  commitment: "0x01",
  scoreBps: 9000,
  penalty: "0",
  reward: (2n * CUR).toString(),
  round: { id: roundId, roundId, status: "Finalized", medianBps: 9100, listing: { id: "3" } },
  ...over,
});

describe("<CommitteeSeats>", () => {
  it("lists the seats newest round first, with the score against the median and what it paid or took", () => {
    render(CommitteeSeats, {
      props: {
        memberships: [
          seat("2"),
          seat("10", {
            scoreBps: null,
            reward: "0",
            round: { id: "10", roundId: "10", status: "Voting", medianBps: null, listing: { id: "5" } },
          }),
          seat("7", { penalty: (5n * CUR).toString(), reward: "0", scoreBps: 4000 }),
        ],
      },
    });
    const rows = within(screen.getByTestId("committee-seats")).getAllByRole("row").slice(1);
    expect(
      rows.map((r) => Array.from((r as HTMLTableRowElement).cells, (c) => c.textContent?.trim()).join(" ")),
    ).toEqual([
      "#10 #5 Voting committed – 0 CUR 0 CUR",
      "#7 #3 Finalized 40% 91% 0 CUR 5 CUR",
      "#2 #3 Finalized 90% 91% 2 CUR 0 CUR",
    ]);
    expect(within(rows[1]!).getByRole("link", { name: "#3" })).toHaveAttribute("href", "#/validators/rounds?listing=3");
  });

  it("says so when there is no seat", () => {
    render(CommitteeSeats, { props: { memberships: [], empty: "No seat yet." } });
    expect(screen.getByTestId("no-seats")).toHaveTextContent("No seat yet.");
  });
});
