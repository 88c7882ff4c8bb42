// listingStatus against the live ListingRegistry: a Pending listing sells from the first second of activatesAt.
import { expect } from "chai";
import { ListingStatusNames, enumName, listingStatus, type ListingStatusName } from "../src/index.js";
import { systemFixture, type System } from "./helpers/system.js";

async function expectStatus(s: System, listingId: bigint, expected: ListingStatusName): Promise<void> {
  const now = await s.now();
  const onChain = enumName(ListingStatusNames, await s.statusOf(listingId));
  expect({ rule: listingStatus(await s.listing(listingId), now), onChain }, `at ${now}`).to.deep.equal({
    rule: expected,
    onChain: expected,
  });
}

describe("listing status (against the live ListingRegistry)", function () {
  const fixture = systemFixture();

  it("Pending until activatesAt, Active from then on (before and after activate), Challenged once challenged", async function () {
    const s = await fixture();
    const listingId = await s.createListing("status-walk");
    await expectStatus(s, listingId, "Pending");
    const { activatesAt } = await s.listing(listingId);
    await s.mineAt(BigInt(activatesAt) - 1n);
    await expectStatus(s, listingId, "Pending");
    await s.mineAt(BigInt(activatesAt));
    await expectStatus(s, listingId, "Active");
    await (await s.registry.activate(listingId)).wait();
    await expectStatus(s, listingId, "Active");
    await s.challenge(listingId);
    await expectStatus(s, listingId, "Challenged");
  });

  it("None for a listing that does not exist", async function () {
    const s = await fixture();
    const missing = (await s.registry.listingCount()) + 1n;
    expect(enumName(ListingStatusNames, await s.statusOf(missing))).to.equal("None");
    expect(listingStatus({ status: 0, activatesAt: 0 }, await s.now())).to.equal("None");
  });
});
