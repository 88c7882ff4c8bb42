import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { StakeEventRow } from "../../staking/history";
import StakeHistory from "./stake-history.svelte";

const CUR = 10n ** 18n;
const JUROR = "0x71be63f3384f5fb98995898a86b02fb2426c5788";
function record(fields: Partial<StakeEventRow>): StakeEventRow {
  return {
    id: "0xaa-1",
    kind: "Staked",
    account: JUROR,
    amount: (250n * CUR).toString(),
    slashed: "0",
    paid: "0",
    payer: JUROR,
    thawEnd: null,
    staked: (5250n * CUR).toString(),
    thawing: "0",
    locked: "0",
    timestamp: "1764085200",
    transaction: `0x${"ab".repeat(32)}`,
    ...fields,
  };
}

describe("<StakeHistory>", () => {
  it("says what each record did and the member's balances after it", () => {
    render(StakeHistory, {
      props: {
        poolLabel: "jurors' pool",
        events: [
          record({
            id: "4",
            kind: "Released",
            amount: (1000n * CUR).toString(),
            slashed: (100n * CUR).toString(),
            paid: (15n * CUR).toString(),
            staked: (5150n * CUR).toString(),
          }),
          record({ id: "3", kind: "Locked", amount: (1000n * CUR).toString(), locked: (1000n * CUR).toString() }),
          record({
            id: "2",
            kind: "UnstakeRequested",
            thawEnd: "1764088800",
            staked: "0",
            thawing: (250n * CUR).toString(),
          }),
          record({ id: "1", payer: "0x00000000000000000000000000000000000000aa" }),
        ],
      },
    });
    const rows = within(screen.getByTestId("stake-history")).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[1]!.textContent)).toEqual([
      "1,000 CUR unlocked, 100 CUR slashed, paid 15 CUR",
      "1,000 CUR locked at risk",
      "Asked to unstake 250 CUR, thawing until 2025-11-25 16:40 UTC",
      "Staked 250 CUR (paid by 0x00000000000000000000000000000000000000aa)",
    ]);
    expect(rows[0]).toHaveTextContent("5,150 CUR");
    expect(rows[1]).toHaveTextContent("1,000 CUR");
    expect(rows[2]).toHaveTextContent("250 CUR");
  });

  it("says so when the member has no records", () => {
    render(StakeHistory, { props: { poolLabel: "validators' pool", events: [] } });
    expect(screen.getByText("No stake records in the validators' pool yet.")).toBeInTheDocument();
  });
});
