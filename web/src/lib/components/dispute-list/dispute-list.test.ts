import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { disputePeriod, filterDisputes, type DisputeSummary } from "../../court/disputes";
import DisputeList from "./dispute-list.svelte";

const NOW = 1_000_000n;
function dispute(
  id: number,
  fields: Partial<DisputeSummary>,
  round?: Partial<DisputeSummary["rounds"][number]>,
): DisputeSummary {
  return {
    id: String(id),
    disputeId: String(id),
    subjectId: String(id + 10),
    listing: { id: String(id + 10), metadataURI: "" },
    challenger: "0x00000000000000000000000000000000000000c1",
    defendant: "0x00000000000000000000000000000000000000d1",
    bond: "1000000000000000000000",
    fee: "30000000000000000000",
    period: "Commit",
    roundCount: 1,
    daoDeadline: null,
    ruling: null,
    createdAt: "900000",
    executedAt: null,
    rounds: [
      {
        id: `${id}-0`,
        index: 0,
        seats: 3,
        drawn: 3,
        commitEnd: "1000600",
        revealEnd: "1001200",
        appealEnd: "1001800",
        committedJurors: 1,
        challengerVotes: 0,
        defendantVotes: 0,
        ...round,
      },
    ],
    ...fields,
  };
}

const DISPUTES = [
  dispute(1, {}),
  dispute(2, {}, { commitEnd: "999000", revealEnd: "1000500", appealEnd: "1001000" }),
  dispute(3, {}, { commitEnd: "990000", revealEnd: "995000", appealEnd: "1000100" }),
  dispute(4, {}, { commitEnd: "900000", revealEnd: "901000", appealEnd: "902000" }),
  dispute(5, { period: "Executed", ruling: "Challenger" }),
  dispute(6, { period: "Drawing" }, { drawn: 1, commitEnd: null, revealEnd: null, appealEnd: null }),
  dispute(7, { period: "Executed", ruling: "Defendant", challenger: "0x00000000000000000000000000000000000000aa" }),
];

describe("dispute periods and filters", () => {
  it("derives Commit → Reveal → Appeal → Executable from the round's deadlines", () => {
    expect(DISPUTES.map((d) => disputePeriod(d, d.rounds[0], NOW))).toEqual([
      "Commit",
      "Reveal",
      "Appeal",
      "Executable",
      "Executed",
      "Drawing",
      "Executed",
    ]);
  });

  it("keeps a dispute in DAO review until the DAO's deadline, then makes the last ruling executable", () => {
    const atDao = (daoDeadline: string, round?: Partial<DisputeSummary["rounds"][number]>) =>
      dispute(8, { period: "DaoReview", roundCount: 2, daoDeadline }, round);
    const drawn = { commitEnd: "900000", revealEnd: "901000", appealEnd: "902000" };
    expect(disputePeriod(atDao("1000001", drawn), atDao("1000001", drawn).rounds[0], NOW)).toBe("DaoReview");
    expect(disputePeriod(atDao("1000000", drawn), atDao("1000000", drawn).rounds[0], NOW)).toBe("Executable");
    // A round nobody could be drawn for has no deadlines of its own: the DAO's still ends the review.
    const undrawn = { drawn: 0, commitEnd: null, revealEnd: null, appealEnd: null };
    expect(disputePeriod(atDao("1000001", undrawn), atDao("1000001", undrawn).rounds[0], NOW)).toBe("DaoReview");
    expect(disputePeriod(atDao("999999", undrawn), atDao("999999", undrawn).rounds[0], NOW)).toBe("Executable");
  });

  it("filters by period, status and search", () => {
    const ids = (list: DisputeSummary[]) => list.map((d) => d.id);
    expect(ids(filterDisputes(DISPUTES, NOW, "Reveal", "All"))).toEqual(["2"]);
    expect(ids(filterDisputes(DISPUTES, NOW, "All", "Open"))).toEqual(["1", "2", "3", "4", "6"]);
    expect(ids(filterDisputes(DISPUTES, NOW, "All", "Challenger won"))).toEqual(["5"]);
    expect(ids(filterDisputes(DISPUTES, NOW, "Executed", "Defendant won"))).toEqual(["7"]);
    expect(ids(filterDisputes(DISPUTES, NOW, "All", "All", "#13"))).toEqual(["3"]);
    expect(ids(filterDisputes(DISPUTES, NOW, "All", "All", "00AA"))).toEqual(["7"]);
  });
});

describe("<DisputeList>", () => {
  it("shows counts per period and narrows the list with the chips and the status select", async () => {
    render(DisputeList, { props: { disputes: DISPUTES, now: NOW } });
    expect(screen.getByTestId("dispute-count")).toHaveTextContent("7 disputes");
    expect(screen.getByRole("button", { name: "Executed 2" })).toHaveAttribute("aria-pressed", "false");

    await fireEvent.click(screen.getByRole("button", { name: "Reveal 1" }));
    expect(screen.getByRole("button", { name: "Reveal 1" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("dispute-count")).toHaveTextContent("1 dispute");
    expect(screen.getByRole("link", { name: "Dispute #2: listing #12" })).toHaveAttribute("href", "#/court/disputes/2");
    expect(screen.getByText(/reveals close in 8 min/)).toBeInTheDocument();

    await fireEvent.click(screen.getByRole("button", { name: "All 7" }));
    await fireEvent.change(screen.getByLabelText("Status"), { target: { value: "Defendant won" } });
    expect(screen.getAllByTestId("dispute-item")).toHaveLength(1);
    expect(screen.getByText("Defendant won", { selector: ".badge" })).toBeInTheDocument();

    await fireEvent.input(screen.getByLabelText("Search disputes"), { target: { value: "999" } });
    expect(screen.getByText("No dispute matches these filters.")).toBeInTheDocument();
  });

  it("names a dispute another arbitrable opened by its subject: it has no listing and no bond", async () => {
    const other = dispute(8, { listing: null, subjectId: "42", bond: "0" });
    expect(filterDisputes([other], NOW, "All", "All", "42")).toEqual([]);
    expect(filterDisputes([other], NOW, "All", "All", "8")).toEqual([other]);
    render(DisputeList, { props: { disputes: [other, DISPUTES[0]!], now: NOW } });
    expect(screen.getByRole("link", { name: "Dispute #8: subject #42" })).toHaveAttribute("href", "#/court/disputes/8");
    const [first, second] = screen.getAllByTestId("dispute-item");
    expect(first).not.toHaveTextContent("bond");
    expect(second).toHaveTextContent("bond 1,000 CUR");
  });

  it("starts on the period asked for in the link", () => {
    render(DisputeList, { props: { disputes: DISPUTES, now: NOW, initialPeriod: "Drawing" } });
    expect(screen.getAllByTestId("dispute-item")).toHaveLength(1);
    expect(screen.getByText("1 of 3 seats drawn", { exact: false })).toBeInTheDocument();
  });
});
