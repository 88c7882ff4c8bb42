// What the middleware reads from the chain before serving: each listing's declared model hash (what its receipts
// name) and the check that this provider's key is the listing's serving key (receipts signed by any other key are
// refused by clients and by ListingChallenges, so serving with one would only hand out worthless answers).
import type { IListingRegistry } from "@curia/protocol/ethers";
import type { ServedListing } from "./core.js";

export class ServingKeyMismatchError extends Error {
  constructor(
    readonly listingId: bigint,
    readonly servingKey: string,
    readonly onChain: string,
  ) {
    super(
      `listing ${listingId}'s serving key on-chain is ${onChain}, not this provider's key ${servingKey}: start with ` +
        `that key, or have the listing's provider call ListingRegistry.setServingKey(${listingId}, ${servingKey})`,
    );
  }
}

/** The listings `ids` with their model hashes, once `servingKey` is checked to be each one's serving key. */
export async function loadServedListings(
  registry: Pick<IListingRegistry, "getListing" | "servingKeyOf">,
  ids: readonly bigint[],
  servingKey: string,
): Promise<ServedListing[]> {
  return Promise.all(
    ids.map(async (listingId) => {
      let onChain: string;
      let modelHash: string;
      try {
        [onChain, { modelHash }] = await Promise.all([
          registry.servingKeyOf(listingId),
          registry.getListing(listingId),
        ]);
      } catch (error) {
        throw new Error(`cannot read listing ${listingId} on-chain: ${(error as Error).message}`);
      }
      if (onChain.toLowerCase() !== servingKey.toLowerCase()) {
        throw new ServingKeyMismatchError(listingId, servingKey, onChain);
      }
      return { listingId, modelHash };
    }),
  );
}
