import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { GraphQLClient } from "../../graphql/client";
import { fetchFraudProofsBy, type FraudProofRow } from "../../marketplace/fraud-proofs";
import { fetchListing } from "../../marketplace/listings";
import FraudProofList from "./fraud-proof-list.svelte";

const FILER = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
const proof = (id: string, ruling: FraudProofRow["dispute"]["ruling"], servedAt: string): FraudProofRow => ({
  id,
  filer: FILER,
  signer: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  caller: FILER,
  nonce: "4",
  modelHash: `0x${"6d".repeat(32)}`,
  inputHash: `0x${"11".repeat(32)}`,
  outputHash: `0x${"22".repeat(32)}`,
  receiptDigest: `0x${"33".repeat(32)}`,
  servedAt,
  inputURI: "data:application/octet-stream;base64,AQID",
  outputURI: "data:application/octet-stream;base64,BAU=",
  timestamp: String(Number(servedAt) + 60),
  transaction: `0x${"44".repeat(32)}`,
  listing: { id: "2", metadataURI: 'data:application/json,{"name":"Digits"}' },
  dispute: { id, period: ruling ? "Executed" : "Commit", ruling },
});

/** A GraphQL client answering from a fixture, recording the queries it was sent. */
function fixtureClient(answer: unknown): GraphQLClient & { queries: { query: string; variables: unknown }[] } {
  const queries: { query: string; variables: unknown }[] = [];
  return {
    url: "http://test/graphql",
    queries,
    request: <T>(query: string, variables?: Record<string, unknown>) => {
      queries.push({ query, variables });
      return Promise.resolve(answer as T);
    },
  };
}

describe("<FraudProofList>", () => {
  it("renders a listing's fraud proofs from its GraphQL record: filer, served at, dispute link and ruling", async () => {
    const gql = fixtureClient({
      receiptRecords: [],
      listing: {
        id: "2",
        servingKey: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
        escrowedEarnings: "5000000000000000000",
        earningsReleased: "0",
        escrowSlashed: "0",
        fraudProofs: [proof("7", "Challenger", "1800000000"), proof("5", null, "1799990000")],
      },
    });
    const listing = await fetchListing(gql, "2");
    expect(gql.queries[0]!.query).toMatch(
      /fraudProofs\(first: 100, orderBy: timestamp, orderDirection: desc\) \{ id filer/,
    );
    expect(gql.queries[0]!.query).toMatch(/servingKey escrowedEarnings earningsReleased escrowSlashed/);

    render(FraudProofList, { props: { proofs: listing!.fraudProofs } });
    const rows = within(screen.getByTestId("fraud-proofs")).getAllByTestId("fraud-proof-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("#7");
    expect(rows[0]).toHaveTextContent("0x90f7…b906");
    expect(rows[0]).toHaveTextContent("2027-01-15 08:00 UTC");
    expect(rows[0]).toHaveTextContent("fraud upheld: the provider was slashed, the filer rewarded");
    expect(within(rows[0]!).getByRole("link", { name: "#7" })).toHaveAttribute("href", "#/court/disputes/7");
    expect(rows[1]).toHaveTextContent("#5");
    expect(rows[1]).toHaveTextContent("pending");
  });

  it("on a filer's page: the listing of each proof, queried by filer", async () => {
    const gql = fixtureClient({ fraudProofs: [proof("9", "Defendant", "1800000000")] });
    const proofs = await fetchFraudProofsBy(gql, "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    expect(gql.queries[0]!.variables).toEqual({ filer: FILER });
    expect(gql.queries[0]!.query).toMatch(/fraudProofs\(first: 1000, where: \{ filer: \$filer \}/);
    render(FraudProofList, { props: { proofs, showListing: true } });
    const row = screen.getByTestId("fraud-proof-row");
    expect(within(row).getByRole("link", { name: "Digits" })).toHaveAttribute("href", "#/marketplace/listings/2");
    expect(row).toHaveTextContent("rejected: the filer lost its bond");
  });

  it("says so when there are none", () => {
    render(FraudProofList, {
      props: { proofs: [], empty: "Nobody has filed a receipt of this listing as a fraud proof." },
    });
    expect(screen.getByText("Nobody has filed a receipt of this listing as a fraud proof.")).toBeInTheDocument();
    expect(screen.queryByTestId("fraud-proofs")).toBeNull();
  });
});
