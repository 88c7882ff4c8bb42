import { encodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { courtAbi, curiaGovernorAbi, curiaTokenAbi, listingRegistryAbi } from "@curia/protocol";
import { TEST_CONFIG } from "../../test/context";
import { decodeCall, describeCall } from "./actions";

const CUR = 10n ** 18n;
const STRANGER = "0x00000000000000000000000000000000000000aa" as const;
const c = TEST_CONFIG.contracts;

describe("decodeCall", () => {
  it("shows a treasury payment in CUR with separators and names a Curia recipient", () => {
    const data = encodeFunctionData({
      abi: curiaTokenAbi,
      functionName: "transfer",
      args: [c.CurationPool, 250_000n * CUR],
    });
    const call = decodeCall(TEST_CONFIG, c.CuriaToken, 0n, data);
    expect(call.args).toEqual([
      { name: "to", type: "address", value: `CurationPool (${c.CurationPool})`, raw: c.CurationPool },
      { name: "value", type: "uint256", value: "250,000 CUR", raw: "250000000000000000000000", unit: "cur" },
    ]);
    expect(describeCall(call)).toBe(`CuriaToken.transfer(to: CurationPool (${c.CurationPool}), value: 250,000 CUR)`);
  });

  it("shows basis points as percentages, durations in days and the quorum numerator in percent", () => {
    const fee = decodeCall(
      TEST_CONFIG,
      c.ListingRegistry,
      0n,
      encodeFunctionData({ abi: listingRegistryAbi, functionName: "setProtocolFee", args: [250] }),
    );
    expect(describeCall(fee)).toBe("ListingRegistry.setProtocolFee(newFeeBps: 2.5%)");
    const period = decodeCall(
      TEST_CONFIG,
      c.CuriaGovernor,
      0n,
      encodeFunctionData({ abi: curiaGovernorAbi, functionName: "setVotingPeriod", args: [604_800] }),
    );
    expect(period.args[0]).toMatchObject({ value: "7 days", raw: "604800", unit: "seconds" });
    const quorum = decodeCall(
      TEST_CONFIG,
      c.CuriaGovernor,
      0n,
      encodeFunctionData({ abi: curiaGovernorAbi, functionName: "updateQuorumNumerator", args: [4n] }),
    );
    expect(quorum.args[0]?.value).toBe("4%");
  });

  it("flattens a parameters struct into its fields, each in its unit", () => {
    const params = {
      seatStake: 1_000n * CUR,
      arbitrationFeePerSeat: 5n * CUR,
      appealFeePerSeat: 10n * CUR,
      commitPeriod: 86_400,
      revealPeriod: 43_200,
      appealPeriod: 172_800,
      firstRoundSeats: 3,
      maxJurorRounds: 4,
      penaltyBps: 1_000,
      drawPeriod: 3_600,
      drawRewardBps: 50,
      daoReviewPeriod: 604_800,
    };
    const call = decodeCall(
      TEST_CONFIG,
      c.Court,
      0n,
      encodeFunctionData({ abi: courtAbi, functionName: "setParameters", args: [params] }),
    );
    const shown = Object.fromEntries(call.args.map((a) => [a.name, a.value]));
    expect(shown).toEqual({
      "newParameters.seatStake": "1,000 CUR",
      "newParameters.arbitrationFeePerSeat": "5 CUR",
      "newParameters.appealFeePerSeat": "10 CUR",
      "newParameters.commitPeriod": "1 day",
      "newParameters.revealPeriod": "12 hours",
      "newParameters.appealPeriod": "2 days",
      "newParameters.firstRoundSeats": "3",
      "newParameters.maxJurorRounds": "4",
      "newParameters.penaltyBps": "10%",
      "newParameters.drawPeriod": "1 hour",
      "newParameters.drawRewardBps": "0.5%",
      "newParameters.daoReviewPeriod": "7 days",
    });
  });

  it("falls back to raw calldata, marked, for an unknown selector or an unknown target", () => {
    const unknownFn = decodeCall(TEST_CONFIG, c.Court, 0n, "0x12345678abcd");
    expect(unknownFn).toMatchObject({ contract: "Court", undecoded: "unknown-function", args: [] });
    expect(unknownFn.functionName).toBeUndefined();
    expect(describeCall(unknownFn)).toBe("call Court with data 0x12345678… (not decoded)");
    const unknownTarget = decodeCall(TEST_CONFIG, STRANGER, 0n, "0xdeadbeef");
    expect(unknownTarget.undecoded).toBe("unknown-target");
    expect(unknownTarget.contract).toBeUndefined();
    // A known selector sent to an address that is not Curia's decodes, but without units: nobody can tell what it is.
    const elsewhere = decodeCall(
      TEST_CONFIG,
      STRANGER,
      0n,
      encodeFunctionData({ abi: curiaTokenAbi, functionName: "transfer", args: [STRANGER, 5n * CUR] }),
    );
    expect(elsewhere.args[1]).toEqual({
      name: "value",
      type: "uint256",
      value: "5000000000000000000",
      raw: "5000000000000000000",
    });
    expect(describeCall(decodeCall(TEST_CONFIG, STRANGER, 10n ** 18n, "0x"))).toBe(`send to ${STRANGER} with 1 ETH`);
  });
});
