import { decodeFunctionData } from "viem";
import { describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../test/context";
import { courtAbi, curiaTokenAbi, listingRegistryAbi } from "@curia/protocol";
import { decodeCall, describeCall } from "./actions";
import {
  customCallTemplate,
  fieldsFor,
  parseTyped,
  proposalDescription,
  protocolFeeTemplate,
  settingTemplate,
  treasuryTransferTemplate,
  upgradeTemplate,
  valuesFrom,
} from "./templates";
import { setterFunction } from "./contracts";

const RECIPIENT = "0x2546BcD3c84621e976D8185a91A922aE77ECEc30";

describe("protocol fee template", () => {
  it("turns a percentage into setProtocolFee(bps) on the registry", () => {
    const result = protocolFeeTemplate(TEST_CONFIG, "2.5");
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.call.target).toBe(TEST_CONFIG.contracts.ListingRegistry);
    const decoded = decodeFunctionData({ abi: listingRegistryAbi, data: result.call.calldata });
    expect(decoded).toEqual({ functionName: "setProtocolFee", args: [250] });
  });

  it("refuses what is not a percentage between 0 and 100 with two decimals at most", () => {
    for (const bad of ["", "abc", "-1", "101", "1.234", "3%"]) {
      expect(protocolFeeTemplate(TEST_CONFIG, bad).ok, bad).toBe(false);
    }
    expect(protocolFeeTemplate(TEST_CONFIG, "100").ok).toBe(true);
  });
});

describe("governed setting template", () => {
  it("builds a struct setter from flattened fields, prefilled from the current value", () => {
    const fn = setterFunction("Court", "setParameters")!;
    const fields = fieldsFor(fn.inputs);
    expect(fields.map((f) => f.path)).toContain("newParameters.minJurorStake");
    const current = Object.fromEntries(
      fn.inputs[0]!.type === "tuple" ? fields.map((f) => [f.path.split(".")[1], 1n]) : [],
    );
    const values = valuesFrom(fn.inputs, [current]);
    values["newParameters.commitPeriod"] = "7200";
    const result = settingTemplate(TEST_CONFIG, "Court", "setParameters", values);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const decoded = decodeFunctionData({ abi: courtAbi, data: result.call.calldata });
    expect(decoded.functionName).toBe("setParameters");
    expect((decoded.args[0] as { commitPeriod: number }).commitPeriod).toBe(7200);
  });

  it("names every field that does not fit its type", () => {
    const result = settingTemplate(TEST_CONFIG, "ListingRegistry", "setFeeShares", {
      treasuryBps: "2000",
      curatorBps: "70000",
      validatorBps: "x",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.curatorBps).toMatch(/between 0 and 65535/);
    expect(result.errors.validatorBps).toMatch(/whole number/);
    expect(result.errors.treasuryBps).toBeUndefined();
  });
});

describe("typed values", () => {
  it("checks integer ranges, addresses, booleans, bytes and arrays", () => {
    expect(parseTyped("uint16", "65535")).toBe(65535n);
    expect(() => parseTyped("uint16", "65536")).toThrow(/between 0 and 65535/);
    expect(parseTyped("int8", "-128")).toBe(-128n);
    expect(parseTyped("uint256", "1_000_000")).toBe(1_000_000n);
    expect(parseTyped("address", RECIPIENT.toLowerCase())).toBe(RECIPIENT);
    expect(() => parseTyped("address", "0x123")).toThrow(/address/);
    expect(parseTyped("bool", "true")).toBe(true);
    expect(() => parseTyped("bytes32", "0x12")).toThrow(/32 bytes/);
    expect(parseTyped("uint8[]", "1, 2,3")).toEqual([1n, 2n, 3n]);
  });
});

describe("treasury transfer, upgrade and custom call templates", () => {
  it("sends CUR from the timelock with token.transfer and refuses more than the treasury holds", () => {
    const ok = treasuryTransferTemplate(TEST_CONFIG, RECIPIENT, "1,000", 5000n * 10n ** 18n);
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(ok.call.target).toBe(TEST_CONFIG.contracts.CuriaToken);
    expect(decodeFunctionData({ abi: curiaTokenAbi, data: ok.call.calldata }).args).toEqual([
      RECIPIENT,
      1000n * 10n ** 18n,
    ]);
    const tooMuch = treasuryTransferTemplate(TEST_CONFIG, RECIPIENT, "6000", 5000n * 10n ** 18n);
    expect(!tooMuch.ok && tooMuch.errors.amount).toMatch(/treasury holds only 5,000 CUR/);
    const bad = treasuryTransferTemplate(TEST_CONFIG, "bob", "0");
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(["amount", "recipient"]);
  });

  it("upgrades with upgradeToAndCall and checks the calldata", () => {
    const ok = upgradeTemplate(TEST_CONFIG, "Court", RECIPIENT, "");
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(describeCall(decodeCall(TEST_CONFIG, ok.call.target, 0n, ok.call.calldata))).toBe(
      `Court.upgradeToAndCall(newImplementation: ${RECIPIENT}, data: 0x)`,
    );
    expect(upgradeTemplate(TEST_CONFIG, "Court", RECIPIENT, "0xabc").ok).toBe(false);
  });

  it("encodes a custom call from a signature and arguments, or takes raw calldata", () => {
    const ok = customCallTemplate(TEST_CONFIG.contracts.CurationPool, "", "setMinStake(uint128)", "250", "");
    if (!ok.ok) throw new Error(JSON.stringify(ok.errors));
    expect(describeCall(decodeCall(TEST_CONFIG, ok.call.target, ok.call.value, ok.call.calldata))).toBe(
      "CurationPool.setMinStake(newMinStake: 250)",
    );
    const wrongCount = customCallTemplate(RECIPIENT, "", "transfer(address,uint256)", "0x1", "");
    expect(!wrongCount.ok && wrongCount.errors.args).toMatch(/takes 2 argument/);
    const raw = customCallTemplate(RECIPIENT, "0.5", "", "", "0xdeadbeef");
    expect(raw.ok && raw.call.value).toBe(5n * 10n ** 17n);
    expect(customCallTemplate(RECIPIENT, "", "", "", "").ok).toBe(false);
  });

  it("requires a one-line title of reasonable length", () => {
    expect(proposalDescription("Fee", "").ok).toBe(false);
    const ok = proposalDescription("  Lower the fee ", "Because.\n");
    expect(ok.ok && ok.description).toBe("# Lower the fee\n\nBecause.");
  });
});
