// Storage is append-only from release v2 on: the current build's layouts must keep every variable of every committed
// release where it was, as the OpenZeppelin upgrades plugin judges it (deploy/storage-layouts.ts).
import { expect } from "chai";
import type { StorageLayout } from "@openzeppelin/upgrades-core";
import { compareLayouts, currentLayouts, releases, UPGRADEABLE_CONTRACTS } from "../../deploy/storage-layouts.js";

const COURT_NAMESPACE = "erc7201:curia.storage.Court";

describe("Storage layouts", function () {
  const current = currentLayouts();
  const released = releases();

  it("has the layouts of release v2 for every upgradeable contract", function () {
    const v2 = released.find((r) => r.release === "v2");
    expect(v2, "deploy/storage-layouts/v2.json").to.not.equal(undefined);
    expect(Object.keys(v2!.contracts)).to.have.members(Object.keys(UPGRADEABLE_CONTRACTS));
    expect(v2!.contracts.Court!.namespaces?.[COURT_NAMESPACE]?.length ?? 0).to.be.greaterThan(5);
  });

  it("keeps every variable of every release where it was in the current build", function () {
    for (const release of released) {
      for (const [name, layout] of Object.entries(release.contracts)) {
        const now = current[name as keyof typeof current];
        expect(now, `${name} is still built`).to.not.equal(undefined);
        const { ok, explanation } = compareLayouts(layout, now);
        expect(ok, `${name} against ${release.release}:\n${explanation}`).to.equal(true);
      }
    }
  });

  it("refuses a variable inserted or retyped in a namespace, and accepts one appended", function () {
    const original = current.Court;
    const withNamespace = (items: NonNullable<StorageLayout["namespaces"]>[string]): StorageLayout => ({
      ...original,
      namespaces: { ...original.namespaces, [COURT_NAMESPACE]: items },
    });
    const items = original.namespaces![COURT_NAMESPACE]!;
    const last = items[items.length - 1]!;
    // Inserted first: every later variable moves one slot.
    const inserted = withNamespace([
      { ...items[0]!, label: "inserted", type: "t_uint256", offset: 0, slot: "0" },
      ...items.map((item) => ({ ...item, slot: String(Number(item.slot) + 1) })),
    ]);
    expect(compareLayouts(original, inserted).ok).to.equal(false);
    // The escrow total, retyped in place from uint96 to uint128, overlaps the pool's address.
    const retyped = withNamespace(
      items.map((item) => (item.label === "totalEscrow" ? { ...item, type: "t_uint128" } : item)),
    );
    expect(compareLayouts(original, retyped).ok).to.equal(false);
    // Appended after the last variable: allowed.
    const appended = withNamespace([
      ...items,
      { ...last, label: "appended", type: "t_uint256", offset: 0, slot: String(Number(last.slot) + 1) },
    ]);
    expect(
      compareLayouts(original, {
        ...appended,
        types: { ...original.types, t_uint256: { label: "uint256", numberOfBytes: "32" } },
      }).ok,
    ).to.equal(true);
  });
});
