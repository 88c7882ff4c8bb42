// The governed setters and their units against the generated ABIs, the unit formats, and describeError against a live
// revert of the Court (ethers) and viem-shaped errors.
import { expect } from "chai";
import {
  GOVERNED_CONTRACTS,
  GOVERNED_SETTERS,
  PARAMETER_UNITS,
  abiNameOf,
  courtAbi,
  curationPoolAbi,
  curiaGovernorAbi,
  curiaTimelockAbi,
  curiaTokenAbi,
  describeError,
  errorWords,
  formatParameter,
  listingChallengesAbi,
  listingRegistryAbi,
  parameterUnit,
  stakePoolAbi,
  validationManagerAbi,
  canaryAuditsAbi,
} from "../src/index.js";
import { describeEthersError } from "../src/ethers/index.js";
import { systemFixture } from "./helpers/system.js";

interface Param {
  name: string;
  type: string;
  components?: readonly Param[];
}
type Item = { type: string; name?: string; inputs?: readonly Param[] };

const ABIS: Record<string, readonly Item[]> = {
  CuriaToken: curiaTokenAbi,
  CuriaGovernor: curiaGovernorAbi,
  CuriaTimelock: curiaTimelockAbi,
  ListingRegistry: listingRegistryAbi,
  CurationPool: curationPoolAbi,
  ListingChallenges: listingChallengesAbi,
  Court: courtAbi,
  StakePool: stakePoolAbi,
  ValidationManager: validationManagerAbi,
  CanaryAudits: canaryAuditsAbi,
};

/** Every argument of `fn` by path (`newParameters.minStake`), with its type. */
function leaves(params: readonly Param[], prefix = ""): { path: string; type: string }[] {
  return params.flatMap((p) => {
    const path = prefix ? `${prefix}.${p.name}` : p.name;
    return p.type === "tuple" && p.components ? leaves(p.components, path) : [{ path, type: p.type }];
  });
}

function fn(abiName: string, name: string): Item {
  const item = ABIS[abiName]?.find((i) => i.type === "function" && i.name === name);
  if (item === undefined) throw new Error(`${abiName} has no function ${name}`);
  return item;
}

describe("governed parameters", function () {
  it("every governed setter exists, and every number it takes has a unit", function () {
    for (const contract of GOVERNED_CONTRACTS) {
      for (const setter of GOVERNED_SETTERS[contract]) {
        for (const leaf of leaves(fn(abiNameOf(contract), setter).inputs ?? [])) {
          if (!/^u?int\d*$/.test(leaf.type)) continue;
          expect(parameterUnit(contract, setter, leaf.path), `${contract}.${setter} ${leaf.path}`).to.be.a("string");
        }
      }
    }
  });

  it("every unit names a numeric argument its function has", function () {
    for (const [abiName, functions] of Object.entries(PARAMETER_UNITS)) {
      for (const [name, units] of Object.entries(functions)) {
        const args = new Map(leaves(fn(abiName, name).inputs ?? []).map((l) => [l.path, l.type]));
        for (const path of Object.keys(units)) {
          expect(args.get(path), `${abiName}.${name} ${path}`).to.match(/^u?int\d*$/);
        }
      }
    }
  });

  it("formats each unit for people, exactly", function () {
    expect(formatParameter("cur", 250_000n * 10n ** 18n)).to.equal("250,000 CUR");
    expect(formatParameter("cur", 1_234_567n * 10n ** 18n + 5n * 10n ** 17n + 1n)).to.equal(
      "1,234,567.500000000000000001 CUR",
    );
    expect(formatParameter("bps", 250n)).to.equal("2.5%");
    expect(formatParameter("bps", 10_000n)).to.equal("100%");
    expect(formatParameter("bps", 1n)).to.equal("0.01%");
    expect(formatParameter("percent", 4n)).to.equal("4%");
    expect(formatParameter("seconds", 604_800n)).to.equal("7 days");
    expect(formatParameter("seconds", 90_061n)).to.equal("1 day 1 hour 1 minute 1 second");
    expect(formatParameter("seconds", 0n)).to.equal("0 seconds");
    expect(formatParameter("timestamp", 1_800_000_000n)).to.equal("2027-01-15 08:00:00 UTC");
    expect(formatParameter("count", 12_000n)).to.equal("12,000");
  });
});

describe("describeError", function () {
  const fixture = systemFixture();

  it("names a live Court revert with its argument (ethers)", async function () {
    const s = await fixture();
    const error = await s.getDisputeError(999n);
    const described = describeEthersError(error);
    expect(described.name).to.equal("CourtDisputeNotFound");
    expect(described.summary).to.equal("CourtDisputeNotFound(999)");
    expect(described.args).to.deep.equal([{ name: "disputeId", value: "999" }]);
    expect(described.message).to.equal("Court dispute not found (disputeId 999).");
  });

  it("finds revert data in a cause chain, reads rejections and one-line messages", function () {
    const decode = (data: string) =>
      data.startsWith("0x12345678") ? { name: "CurationZeroAmount", args: [], inputs: [] } : undefined;
    const nested = { shortMessage: "reverted", cause: { data: { data: "0x12345678" } } };
    expect(describeError(nested, decode).message).to.equal("Curation zero amount.");
    expect(describeError({ cause: { raw: "0xdeadbeef00" } }, decode).name).to.equal("UnknownError");
    expect(describeError({ code: 4001 }, decode).name).to.equal("UserRejected");
    expect(describeError({ code: "ACTION_REJECTED" }, decode).name).to.equal("UserRejected");
    const viemLike = Object.assign(new Error("HTTP request failed.\n\nURL: http://x\nRequest body: {…}"), {
      shortMessage: "HTTP request failed.",
    });
    expect(describeError(viemLike, decode).message).to.equal("HTTP request failed.");
    expect(errorWords("ValidationRoundNotFound")).to.equal("Validation round not found");
    expect(errorWords("ERC20InsufficientBalance")).to.equal("ERC20 insufficient balance");
  });
});
