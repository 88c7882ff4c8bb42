import { decodeFunctionData, encodeFunctionData, type AbiFunction } from "viem";
import { describe, expect, it } from "vitest";
import { TEST_CONFIG } from "../../test/context";
import { courtAbi, curiaTokenAbi, listingChallengesAbi, listingRegistryAbi, stakePoolAbi } from "@curia/protocol";
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
import { ABIS, GOVERNED_CONTRACTS, GOVERNED_SETTERS, SETTER_GETTERS, setterFunction } from "./contracts";

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
    expect(fields.map((f) => f.path)).toContain("newParameters.seatStake");
    expect(fields.map((f) => f.path)).not.toContain("newParameters.minJurorStake");
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

  it("sets each stake pool's figures on that pool, and decodes the call under the pool's own name", () => {
    for (const pool of ["JurorPool", "ValidatorPool"] as const) {
      const fn = setterFunction(pool, "setParameters")!;
      expect(fieldsFor(fn.inputs).map((f) => f.path)).toEqual([
        "newParameters.minStake",
        "newParameters.thawingPeriod",
      ]);
      const result = settingTemplate(TEST_CONFIG, pool, "setParameters", {
        "newParameters.minStake": "500000000000000000000",
        "newParameters.thawingPeriod": "86400",
      });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(result.call.target).toBe(TEST_CONFIG.contracts[pool]);
      expect(decodeFunctionData({ abi: stakePoolAbi, data: result.call.calldata }).args).toEqual([
        { minStake: 500n * 10n ** 18n, thawingPeriod: 86400 },
      ]);
      expect(describeCall(decodeCall(TEST_CONFIG, result.call.target, 0n, result.call.calldata))).toBe(
        `${pool}.setParameters(newParameters.minStake: 500 CUR, newParameters.thawingPeriod: 1 day)`,
      );
    }
  });

  it("sets the challenge figures on ListingChallenges and lets the DAO allow an arbitrable in the Court", () => {
    const challenge = settingTemplate(TEST_CONFIG, "ListingChallenges", "setParameters", {
      "newParameters.minChallengeBond": "1000",
      "newParameters.winnerShareBps": "5000",
      "newParameters.jurorShareBps": "4000",
      "newParameters.treasuryShareBps": "1000",
    });
    if (!challenge.ok) throw new Error(JSON.stringify(challenge.errors));
    expect(challenge.call.target).toBe(TEST_CONFIG.contracts.ListingChallenges);
    expect(decodeFunctionData({ abi: listingChallengesAbi, data: challenge.call.calldata }).args).toEqual([
      { minChallengeBond: 1000n, winnerShareBps: 5000, jurorShareBps: 4000, treasuryShareBps: 1000 },
    ]);

    const allow = settingTemplate(TEST_CONFIG, "Court", "setArbitrable", { arbitrable: RECIPIENT, allowed: "true" });
    if (!allow.ok) throw new Error(JSON.stringify(allow.errors));
    expect(describeCall(decodeCall(TEST_CONFIG, allow.call.target, 0n, allow.call.calldata))).toBe(
      `Court.setArbitrable(arbitrable: ${RECIPIENT}, allowed: true)`,
    );
    const bad = settingTemplate(TEST_CONFIG, "Court", "setArbitrable", { arbitrable: "0x1", allowed: "yes" });
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(["allowed", "arbitrable"]);
  });

  it("offers the v2 role setters, not the v1 ones the contracts lost", () => {
    expect(GOVERNED_SETTERS.ListingRegistry).toContain("setChallengeRole");
    expect(GOVERNED_SETTERS.ListingRegistry).not.toContain("setCourtRole");
    expect(GOVERNED_SETTERS.ValidationManager).toContain("setChallenges");
    expect(GOVERNED_SETTERS.ValidationManager).not.toContain("setCourt");
    expect(GOVERNED_SETTERS.Court).toContain("setArbitrable");
    expect(GOVERNED_SETTERS.ListingChallenges).toContain("setListingMetaEvidence");
    const role = settingTemplate(TEST_CONFIG, "ListingRegistry", "setChallengeRole", {
      newChallenges: TEST_CONFIG.contracts.ListingChallenges,
    });
    if (!role.ok) throw new Error(JSON.stringify(role.errors));
    expect(describeCall(decodeCall(TEST_CONFIG, role.call.target, 0n, role.call.calldata))).toBe(
      `ListingRegistry.setChallengeRole(newChallenges: ListingChallenges (${TEST_CONFIG.contracts.ListingChallenges}))`,
    );
    const challenges = settingTemplate(TEST_CONFIG, "ValidationManager", "setChallenges", {
      newChallenges: TEST_CONFIG.contracts.ListingChallenges,
    });
    expect(challenges.ok).toBe(true);
  });

  it("offers only setters and getters the contracts have, on every governed contract but the lens", () => {
    expect(GOVERNED_CONTRACTS).not.toContain("CuriaLens");
    expect(GOVERNED_CONTRACTS).toEqual(expect.arrayContaining(["JurorPool", "ValidatorPool", "ListingChallenges"]));
    for (const contract of GOVERNED_CONTRACTS) {
      for (const name of GOVERNED_SETTERS[contract]) {
        expect(setterFunction(contract, name), `${contract}.${name}`).toBeDefined();
      }
      for (const getter of Object.values(SETTER_GETTERS[contract] ?? {})) {
        const fn = ABIS[contract].find(
          (item): item is AbiFunction => item.type === "function" && item.name === getter && item.inputs.length === 0,
        );
        expect(fn, `${contract}.${getter}()`).toBeDefined();
      }
    }
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

  it("decodes an action against its target's own ABI: a function its target lacks stays raw calldata", () => {
    const courtCall = encodeFunctionData({
      abi: courtAbi,
      functionName: "setArbitrable",
      args: [RECIPIENT, false],
    });
    expect(decodeCall(TEST_CONFIG, TEST_CONFIG.contracts.Court, 0n, courtCall).functionName).toBe("setArbitrable");
    const misdirected = decodeCall(TEST_CONFIG, TEST_CONFIG.contracts.JurorPool, 0n, courtCall);
    expect(misdirected.contract).toBe("JurorPool");
    expect(misdirected.functionName).toBeUndefined();
    expect(misdirected.undecoded).toBe("unknown-function");
    expect(describeCall(misdirected)).toMatch(/^call JurorPool with data 0x\w+… \(not decoded\)$/);
    // An address the config does not know is tried against every Curia ABI.
    expect(describeCall(decodeCall(TEST_CONFIG, RECIPIENT, 0n, courtCall))).toBe(
      `${RECIPIENT}.setArbitrable(arbitrable: ${RECIPIENT}, allowed: false)`,
    );
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
      "CurationPool.setMinStake(newMinStake: 0.00000000000000025 CUR)",
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
