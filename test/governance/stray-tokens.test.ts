// Issue 17, "stray tokens can be swept to the treasury". The attack (here a mistake, but the money is as gone either
// way): CUR sent to the registry, the curation pool or ListingChallenges with a plain transfer, instead of a purchase, a bond or a stake,
// was stuck forever; no function could move it. Now anyone may send what a contract holds beyond what it owes to the
// timelock, and what it owes (bonds, escrowed earnings, fees, stakes, rewards) never moves.
import { expect } from "chai";
import { parseEther } from "ethers";
import { cEthers, cHelpers } from "../helpers/court.js";
import { listedFixture } from "../helpers/receipts.js";

const STRAY = parseEther("5");

async function strayFixture() {
  const f = await listedFixture();
  // The curation pool owes a stake too, and ListingChallenges the bond of an open challenge (of a second listing), so
  // that every contract holds money that is not stray.
  await (await f.curationPool.connect(f.curator).stake(f.listingId, parseEther("100"))).wait();
  const challenged = await f.market.list(f.provider, "challenged-model");
  await f.courtHelper.challenge(f.challenger, challenged);
  const other = await (await cEthers.getContractFactory("ReferenceToken")).deploy(f.deployer.address, STRAY * 10n);
  await other.waitForDeployment();
  return { ...f, other };
}

describe("Stray tokens: swept to the treasury, never what a contract owes", function () {
  for (const name of ["registry", "curationPool", "challenges"] as const) {
    it(`${name}: a plain CUR transfer is stuck until swept; the sweep moves exactly it, to the timelock`, async function () {
      const f = await cHelpers.loadFixture(strayFixture);
      const contract = f[name];
      const address = await contract.getAddress();
      const owedOf = async () =>
        name === "registry"
          ? (await f.registry.totalOwed()).reduce((a, b) => a + b, 0n)
          : name === "curationPool"
            ? (await f.curationPool.totalOwed()).reduce((a, b) => a + b, 0n)
            : (await f.challenges.totalHeld()).reduce((a, b) => a + b, 0n);
      const owed = await owedOf();
      expect(owed > 0n, "the contract owes something").to.equal(true);
      // Nothing stray yet: a sweep is refused and nothing owed moves.
      await expect(contract.connect(f.outsider).sweepStrayTokens(await f.token.getAddress()))
        .to.be.revertedWithCustomError(contract, "NothingToSweep")
        .withArgs(await f.token.getAddress(), owed, owed);

      // The mistake: a plain transfer. The contract's books do not know it: it is not owed to anyone.
      await (await f.token.connect(f.alice).transfer(address, STRAY)).wait();
      expect(await f.token.balanceOf(address)).to.equal(owed + STRAY);
      expect(await owedOf()).to.equal(owed);

      const before = await f.token.balanceOf(f.treasury);
      await expect(contract.connect(f.outsider).sweepStrayTokens(await f.token.getAddress()))
        .to.emit(contract, "StrayTokensSwept")
        .withArgs(await f.token.getAddress(), f.treasury, STRAY);
      expect(await f.token.balanceOf(f.treasury)).to.equal(before + STRAY);
      expect(await f.token.balanceOf(address)).to.equal(owed);
      expect(await owedOf()).to.equal(owed);
      await expect(contract.sweepStrayTokens(await f.token.getAddress())).to.be.revertedWithCustomError(
        contract,
        "NothingToSweep",
      );
    });

    it(`${name}: any other token is stray in full`, async function () {
      const f = await cHelpers.loadFixture(strayFixture);
      const contract = f[name];
      const address = await contract.getAddress();
      await (await f.other.connect(f.deployer).transfer(address, STRAY)).wait();
      await expect(contract.connect(f.outsider).sweepStrayTokens(await f.other.getAddress()))
        .to.emit(contract, "StrayTokensSwept")
        .withArgs(await f.other.getAddress(), f.treasury, STRAY);
      expect(await f.other.balanceOf(f.treasury)).to.equal(STRAY);
      expect(await f.other.balanceOf(address)).to.equal(0n);
    });
  }

  it("the owed money stays whole: after a sweep every provider, curator and fee can still be paid out", async function () {
    const f = await cHelpers.loadFixture(strayFixture);
    const registry = await f.registry.getAddress();
    await (await f.token.connect(f.alice).transfer(registry, STRAY)).wait();
    await (await f.registry.sweepStrayTokens(await f.token.getAddress())).wait();
    // The registry's books still balance to the wei: its balance is exactly its debts.
    const [bonds, earnings, treasuryFees, validatorFees] = await f.registry.totalOwed();
    expect(await f.token.balanceOf(registry)).to.equal(bonds + earnings + treasuryFees + validatorFees);
    // And the fees it owes go out as before, to the wei.
    await (await f.registry.sweepFees()).wait();
    const [, , treasuryAfter, validatorAfter] = await f.registry.totalOwed();
    expect(treasuryAfter + validatorAfter).to.equal(0n);
    expect(await f.token.balanceOf(registry)).to.equal(bonds + earnings);
  });
});
