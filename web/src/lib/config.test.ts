import { describe, expect, it } from "vitest";
import { CONTRACT_NAMES, DEV_CONFIG, parseConfig } from "./config";

describe("parseConfig", () => {
  it("takes what is given, checksums addresses, and falls back to the dev defaults", () => {
    const config = parseConfig({
      graphqlUrl: "https://api.example/subgraphs/name/curia",
      chainId: 8453,
      contracts: {
        CuriaToken: "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9",
        JurorPool: "0x9a676e781a523b5d0c0e43731313a708cb607508",
        Unknown: "not read",
      },
    });
    expect(config.graphqlUrl).toBe("https://api.example/subgraphs/name/curia");
    expect(config.chainId).toBe(8453);
    expect(config.rpcUrl).toBe(DEV_CONFIG.rpcUrl);
    expect(config.contracts.CuriaToken).toBe("0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9");
    expect(config.contracts.JurorPool).toBe("0x9A676e781A523b5d0C0e43731313A708CB607508");
    expect(config.contracts.ValidatorPool).toBe(DEV_CONFIG.contracts.ValidatorPool);
    expect(Object.keys(config.contracts)).not.toContain("Unknown");
  });

  it("maps every contract of protocol v2 the app uses from the deployment record's names", () => {
    for (const name of ["JurorPool", "ValidatorPool", "ListingChallenges", "CuriaLens"] as const) {
      expect(CONTRACT_NAMES).toContain(name);
      expect(() => parseConfig({ contracts: { [name]: "0x12" } })).toThrow(`contracts.${name}`);
    }
  });

  it("names the field that is wrong", () => {
    expect(() => parseConfig({ chainId: "x" })).toThrow(/chainId/);
    expect(() => parseConfig({ contracts: { Court: "0x12" } })).toThrow(/contracts.Court/);
    expect(() => parseConfig({ rpcUrl: "" })).toThrow(/rpcUrl/);
    expect(() => parseConfig(null)).toThrow(/not a JSON object/);
  });
});
