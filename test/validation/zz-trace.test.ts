import { parseEther } from "ethers";
import { deployValidationFixture, vHelpers, vEthers } from "../helpers/validation.js";
describe("trace", function () {
  it("traces drawCommittee", async function () {
    const { validation, validatorPool, helper, listingId, requester, spares } =
      await vHelpers.loadFixture(deployValidationFixture);
    for (const v of spares) await validatorPool.connect(v).stake(parseEther("500"));
    await (await validation.connect(requester).openRound(listingId)).wait();
    const tx = await validation.drawCommittee(1n);
    const r = await tx.wait();
    console.log("gas", r!.gasUsed);
    const trace = await vEthers.provider.send("debug_traceTransaction", [tx.hash, { tracer: "callTracer" }]).catch((e: Error) => e.message);
    const walk = (c: any, d = 0): void => { console.log(" ".repeat(d*2) + c.type + " " + c.to + " " + (c.input ?? "").slice(0,10) + " gasUsed=" + parseInt(c.gasUsed, 16)); for (const k of c.calls ?? []) walk(k, d+1); };
    if (typeof trace === "string") console.log(trace); else walk(trace);
    void helper;
  });
});
