import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { dataHash, toDataURI } from "@curia/protocol";
import type { EvidenceRow } from "../../court/disputes";
import type { FraudProofRow } from "../../marketplace/fraud-proofs";
import FraudReceipt from "./fraud-receipt.svelte";

const input = new Uint8Array(3136).fill(7);
const output = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const VALIDATOR = "0x976ea74026e726554db657fa54763abd0c3a0aa9";

const proof: FraudProofRow = {
  id: "4",
  filer: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  signer: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  caller: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  nonce: "12",
  modelHash: `0x${"6d".repeat(32)}`,
  inputHash: dataHash(input),
  // The filer published an output other than the one the provider signed.
  outputHash: dataHash(new Uint8Array([1, 2, 3])),
  receiptDigest: `0x${"33".repeat(32)}`,
  servedAt: "1800000000",
  inputURI: toDataURI(input),
  outputURI: toDataURI(output),
  timestamp: "1800000100",
  transaction: `0x${"44".repeat(32)}`,
  listing: { id: "2", metadataURI: "" },
  dispute: { id: "4", period: "Commit", ruling: null },
};

const verdictURI = (verdict: object): string => `data:application/json,${encodeURIComponent(JSON.stringify(verdict))}`;
const evidence: EvidenceRow[] = [
  { id: "e1", party: proof.filer, uri: "ipfs://bafy/why.txt", timestamp: "1800000100", transaction: "0x" },
  {
    id: "e2",
    party: VALIDATOR,
    uri: verdictURI({
      fraud: true,
      outcome: "fraud",
      reason: "1 of 1 signed answers are outside the tolerance band",
      maxDeviation: 0.71,
      tolerance: 0.05,
      validator: VALIDATOR,
    }),
    timestamp: "1800000200",
    transaction: "0x",
  },
  {
    id: "e3",
    party: VALIDATOR,
    uri: verdictURI({ fraud: false, outcome: "publication-mismatch", reason: "the output's hash is not outputHash" }),
    timestamp: "1800000300",
    transaction: "0x",
  },
  {
    id: "e4",
    party: VALIDATOR,
    uri: verdictURI({ note: "no fraud field" }),
    timestamp: "1800000400",
    transaction: "0x",
  },
];

describe("<FraudReceipt>", () => {
  it("shows the receipt, checks the published input and output against its hashes, and the validators' verdicts", () => {
    render(FraudReceipt, { props: { proof, evidence } });
    const section = screen.getByTestId("fraud-receipt");
    expect(within(section).getByText(proof.signer)).toBeInTheDocument();
    expect(section).toHaveTextContent("2027-01-15 08:00 UTC");

    const inputItem = screen.getByTestId("published-input");
    expect(inputItem).toHaveTextContent("3,136 bytes, its hash matches the receipt");
    expect(within(inputItem).getByRole("link", { name: "input-4.bin" })).toHaveAttribute("href", proof.inputURI);
    expect(screen.getByTestId("published-output")).toHaveTextContent(
      "8 bytes, its hash does not match the receipt: it is not what the provider signed",
    );

    const verdicts = screen.getAllByTestId("verdict");
    expect(verdicts).toHaveLength(2);
    expect(verdicts[0]).toHaveTextContent(
      "fraud — 1 of 1 signed answers are outside the tolerance band (largest deviation 0.71, tolerance 0.05)",
    );
    expect(verdicts[1]).toHaveTextContent("no fraud (publication-mismatch) — the output's hash is not outputHash");
  });

  it("links an IPFS publication without claiming it was checked, and says when no validator has ruled", () => {
    render(FraudReceipt, { props: { proof: { ...proof, outputURI: "ipfs://bafy/output.bin" }, evidence: [] } });
    const outputItem = screen.getByTestId("published-output");
    expect(within(outputItem).getByRole("link", { name: "ipfs://bafy/output.bin" })).toBeInTheDocument();
    expect(outputItem).toHaveTextContent("not checked here");
    expect(screen.getByText("No validator has submitted a verdict yet.")).toBeInTheDocument();
  });
});
