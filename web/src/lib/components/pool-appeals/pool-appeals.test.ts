import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { PoolAppealRow } from "../../court/disputes";
import PoolAppeals from "./pool-appeals.svelte";

const APPEAL: PoolAppealRow = {
  id: "0xaa-3",
  caller: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  fee: "45500000000000000000",
  timestamp: "1764085200",
  transaction: "0x5c1f0e3d6a7b4c2d9e8f00112233445566778899aabbccddeeff001122334455",
};

describe("<PoolAppeals>", () => {
  it("lists each appeal the pool paid: fee, caller, time and transaction", () => {
    render(PoolAppeals, {
      props: { appeals: [APPEAL, { ...APPEAL, id: "0xbb-1", fee: "91000000000000000000", timestamp: "1764171600" }] },
    });
    const section = screen.getByRole("region", { name: "Appeals by the validators' pool" });
    const items = within(section).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Appeal fee 45.5 CUR paid from the pool, asked by 0x90f7…b906");
    expect(items[0]).toHaveTextContent("2025-11-25 15:40 UTC");
    expect(items[0]).toHaveTextContent("transaction 0x5c1f…4455");
    expect(items[1]).toHaveTextContent("Appeal fee 91 CUR");
    expect(within(items[0]!).getByTitle(APPEAL.caller)).toBeInTheDocument();
  });

  it("renders nothing when the pool never appealed", () => {
    const { container } = render(PoolAppeals, { props: { appeals: [] } });
    expect(screen.queryByRole("region")).toBeNull();
    expect(container.textContent?.trim()).toBe("");
  });
});
