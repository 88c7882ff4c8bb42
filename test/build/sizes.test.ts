// The size gate: EIP-170 refuses runtime code above 24,576 bytes, and Curia keeps every production contract at least
// 2 KiB under it, so that the next fix or view never stops a contract from deploying. `npm run bench:sizes` writes the
// table (benchmarks/contract-sizes.md).
import { expect } from "chai";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  EIP170_LIMIT,
  EIP3860_LIMIT,
  GATE_HEADROOM,
  overTheGate,
  productionContractSizes,
} from "../../scripts/lib/contract-sizes.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("Contract sizes", function () {
  const sizes = productionContractSizes(ROOT);

  it("measures every deployable production contract, and none of the test contracts", function () {
    const names = sizes.map((s) => s.name);
    for (const name of ["CuriaGovernor", "Court", "StakePool", "ListingChallenges", "ValidationManager", "CuriaLens"]) {
      expect(names).to.include(name);
    }
    expect(names).to.not.include("BatchStaker");
    expect(names).to.not.include("CuriaGovernorV2");
  });

  it(`keeps every production contract at least ${GATE_HEADROOM} bytes under EIP-170's ${EIP170_LIMIT}`, function () {
    expect(
      overTheGate(sizes).map((s) => `${s.name} ${s.runtime} bytes (${s.headroom} free)`),
      "contracts within 2 KiB of the limit",
    ).to.deep.equal([]);
    for (const s of sizes) expect(s.init, `${s.name} init code`).to.be.at.most(EIP3860_LIMIT);
  });

  it("refuses a contract one byte inside the headroom, and accepts one exactly at its edge", function () {
    const at = (runtime: number) => ({
      name: "X",
      source: "x.sol",
      runtime,
      init: 0,
      headroom: EIP170_LIMIT - runtime,
    });
    expect(overTheGate([at(EIP170_LIMIT - GATE_HEADROOM)])).to.deep.equal([]);
    expect(overTheGate([at(EIP170_LIMIT - GATE_HEADROOM + 1)]).map((s) => s.runtime)).to.deep.equal([22_529]);
  });
});
