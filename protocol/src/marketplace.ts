// The ListingRegistry's effective status as a pure function of the stored listing and the chain's time, matching
// ListingRegistry.statusOf to the second (test/marketplace.test.ts).
import { enumName } from "./enums.js";
import { ListingStatusNames, type ListingStatusName } from "./generated/enums.js";
import type { Uint } from "./court.js";

/** What the effective status depends on in IListingRegistry.Listing. */
export interface ListingProgress {
  /** The stored status: a ListingStatus value (viem, ethers) or its name (the subgraph's). */
  status: ListingStatusName | number | bigint;
  activatesAt: Uint;
}

/** ListingRegistry.statusOf at chain time `now`: a Pending listing is Active (it sells) from `activatesAt` on. */
export function listingStatus(listing: ListingProgress, now: Uint): ListingStatusName {
  const status = typeof listing.status === "string" ? listing.status : enumName(ListingStatusNames, listing.status);
  return status === "Pending" && BigInt(now) >= BigInt(listing.activatesAt) ? "Active" : status;
}
