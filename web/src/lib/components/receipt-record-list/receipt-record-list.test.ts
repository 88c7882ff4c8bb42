import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { GraphQLClient } from "../../graphql/client";
import { fetchReceiptRecordsBy, type ReceiptRecordRow } from "../../marketplace/fraud-proofs";
import { fetchListing } from "../../marketplace/listings";
import ReceiptRecordList from "./receipt-record-list.svelte";

const BY = "0x14dc79964da2c08b23698b3d3cc7ca32193d9955";
const record = (id: string, firstFiledAt: string): ReceiptRecordRow => ({
  id,
  receiptDigest: `0x${"ab".repeat(32)}`,
  recordedBy: BY,
  firstFiledAt,
  timestamp: String(Number(firstFiledAt) + 3600),
  transaction: `0x${"44".repeat(32)}`,
  listing: { id: "5", metadataURI: 'data:application/json,{"name":"Turbo digits"}' },
});

/** A GraphQL client answering each query from `answer(query)`, recording what it was sent. */
function fixtureClient(answer: (query: string) => unknown) {
  const queries: { query: string; variables: unknown }[] = [];
  const gql: GraphQLClient = {
    url: "http://test/graphql",
    request: <T>(query: string, variables?: Record<string, unknown>) => {
      queries.push({ query, variables });
      return Promise.resolve(answer(query) as T);
    },
  };
  return { gql, queries };
}

describe("<ReceiptRecordList>", () => {
  it("shows a listing's recorded receipts, fetched with the listing by its id", async () => {
    const { gql, queries } = fixtureClient((query) =>
      query.includes("receiptRecords")
        ? { receiptRecords: [record("0xaa-1", "1800000000")] }
        : { listing: { id: "5", fraudProofs: [] } },
    );
    const listing = await fetchListing(gql, "5");
    const asked = queries.find((q) => q.query.includes("receiptRecords"))!;
    expect(asked.query).toMatch(/receiptRecords\(first: 1000, where: \{ listing: \$listing \}, orderBy: timestamp/);
    expect(asked.variables).toEqual({ listing: "5" });
    expect(listing!.receiptRecords).toHaveLength(1);

    render(ReceiptRecordList, { props: { records: listing!.receiptRecords } });
    const row = within(screen.getByTestId("receipt-records")).getByTestId("receipt-record-row");
    expect(row).toHaveTextContent("0xabab…abab");
    expect(row).toHaveTextContent("0x14dc…9955");
    expect(row).toHaveTextContent("2027-01-15 08:00 UTC");
    expect(row).toHaveTextContent("2027-01-15 09:00 UTC");
  });

  it("on an account's page: the listing of each record, queried by who recorded it", async () => {
    const { gql, queries } = fixtureClient(() => ({ receiptRecords: [record("0xbb-2", "1800000000")] }));
    const records = await fetchReceiptRecordsBy(gql, "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955");
    expect(queries[0]!.variables).toEqual({ by: BY });
    render(ReceiptRecordList, { props: { records, showListing: true } });
    expect(
      within(screen.getByTestId("receipt-record-row")).getByRole("link", { name: "Turbo digits" }),
    ).toHaveAttribute("href", "#/marketplace/listings/5");
  });

  it("says so when there are none", () => {
    render(ReceiptRecordList, { props: { records: [], empty: "None recorded." } });
    expect(screen.getByText("None recorded.")).toBeInTheDocument();
    expect(screen.queryByTestId("receipt-records")).toBeNull();
  });
});
