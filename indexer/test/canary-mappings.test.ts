// The events that landed with the canary audits, indexed from a local chain: the operator's root, a canary round whose
// lying member is caught and slashed and whose honest members are paid a bounty, the bounty balance's funding and
// withdrawal, the audit settings, a round's fee refunded on a cancel, a listing held under review while its round runs, and
// the model slash recorded on a delisting. Each figure is checked against what the contracts report.
import { expect } from "chai";
import { canaryClaimDigest, canaryCommitment, canaryTree } from "@curia/protocol";
import type { AddressInfo } from "node:net";
import { getBytes, hexlify, id, parseEther, randomBytes } from "ethers";
import type { IndexerApp } from "../src/app.js";
import { QueryExecutor } from "../src/graphql/executor.js";
import { createQueryServer } from "../src/server.js";
import type { EntityData } from "../src/values.js";
import { sharedHardhatNode, temporaryDirectory } from "./helpers/chain.js";
import {
  CHALLENGER_WINS,
  deployMarketSystem,
  JUROR_STAKE,
  juryVotes,
  scoreRound,
  STAKE_A,
  VALIDATOR_STAKE,
  type MarketSystem,
} from "./helpers/market.js";
import { syncedIndexer } from "./helpers/indexer.js";

const value = (data: EntityData | undefined, name: string): unknown => {
  if (data === undefined) throw new Error("entity not found");
  const v = data.get(name);
  return v === undefined || v.kind === "Null" ? null : v.value;
};

/** The GraphQL answer the UI query below expects. */
interface Served {
  validationRound: {
    canaryAudit: {
      trueScoreBps: number;
      caught: string;
      slashedMembers: { validator: { id: string }; slashed: string }[];
      payments: { bounty: string }[];
    };
  };
  listing: unknown;
  delisted: unknown;
  canaryRoots: unknown;
}

const TRUE_SCORE = 5_000;
/** Committee order is validator order (the drivers' constant seed): the last one reveals a score the canary refutes. */
const SCORES = [5_000, 5_010, 4_990, 5_020, 9_000];
const BOUNTY_PER_SEAT = parseEther("1");
const FUNDED = parseEther("50");
const WITHDRAWN = parseEther("10");
const BOUNTY_BUDGET = parseEther("3");

describe("subgraph mapping of the canary audits and the events that came with them", function () {
  this.timeout(300_000);
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: MarketSystem;
  let app: IndexerApp;
  let canaryListing: bigint;
  let reviewedListing: bigint;
  let cancelledRound: bigint;
  let refund: bigint;
  let auditedRound: bigint;
  let commitment: string;
  let root: string;
  let epoch: bigint;
  let auditTransaction: string;
  let delistedId: bigint;

  before(async () => {
    const chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-canary-");
    system = await deployMarketSystem(chain.url, dir.path);
    const { registry, canary, jurorPool, validation, validatorPool, token, deployer } = system;
    const { provider, consumer, challenger } = system;
    const { ethers, networkHelpers } = system.connection;
    const time = networkHelpers.time;
    const timelock = await system.timelock.getAddress();
    await networkHelpers.setBalance(timelock, parseEther("10"));
    const asDao = await ethers.getImpersonatedSigner(timelock);
    const operator = deployer;

    const list = async (name: string) => {
      const bond = (await registry.parameters()).minBond;
      const args = [id(name), `ipfs://meta/${name}`, `https://${name}.example/infer`, parseEther("1"), bond] as const;
      const listingId = await registry.connect(provider).createListing.staticCall(...args);
      await (await registry.connect(provider).createListing(...args)).wait();
      await time.increaseTo((await registry.getListing(listingId)).activatesAt);
      await (await registry.activate(listingId)).wait();
      return listingId;
    };

    // The DAO names the operator, pays a bounty per catching seat, funds the bounties and takes some back.
    await (await canary.connect(asDao).setOperator(operator.address)).wait();
    const params = await canary.parameters();
    await (
      await canary.connect(asDao).setParameters({
        canarySlashBps: params.canarySlashBps,
        catcherShareBps: params.catcherShareBps,
        auditWindow: params.auditWindow,
        bountyPerSeat: BOUNTY_PER_SEAT,
      })
    ).wait();
    await (await token.connect(deployer).approve(await canary.getAddress(), FUNDED)).wait();
    await (await canary.connect(deployer).fundBounties(FUNDED)).wait();
    await (await canary.connect(asDao).withdrawBounties(WITHDRAWN)).wait();
    // The reserve tops a catching seat's share of the slash up to the bounty, within the day's budget (issue 18).
    await (await canary.connect(asDao).setBountyBudget(BOUNTY_BUDGET)).wait();

    canaryListing = await list("canary-model");
    for (const v of system.validators) await (await validatorPool.connect(v).stake(VALIDATOR_STAKE)).wait();
    await (await token.connect(deployer).transfer(await validation.getAddress(), parseEther("20000"))).wait();

    // The operator commits the canary's true score (among decoys) before its round opens; the round runs, the last
    // member lies, and the operator audits it with the provider's signature.
    const salt = hexlify(randomBytes(32));
    commitment = canaryCommitment(canaryListing, TRUE_SCORE, salt);
    const leaves = new Map<bigint, string>([
      [0n, hexlify(randomBytes(32))],
      [canaryListing, commitment],
    ]);
    const tree = canaryTree(leaves);
    root = tree.root;
    epoch = await canary.rootCount();
    await (await canary.connect(operator).commitRoot(root)).wait();
    await time.increase(1);
    auditedRound = await validation.connect(consumer).openRound.staticCall(canaryListing);
    await (await validation.connect(consumer).openRound(canaryListing)).wait();
    await scoreRound(system, auditedRound, SCORES);
    await (await validation.finalizeRound(auditedRound)).wait();
    const digest = canaryClaimDigest(await canary.getAddress(), 31_337n, commitment);
    const signature = await provider.signMessage(getBytes(digest));
    const claim = { listingId: canaryListing, trueScoreBps: TRUE_SCORE, salt, epoch, proof: tree.proof(canaryListing) };
    auditTransaction = (await (await canary.connect(operator).audit(claim, auditedRound, signature)).wait())!.hash;

    // A round requested again before the listing's next free one is paid for; nobody draws it in time, so it is
    // cancelled and its fee goes back to its payer.
    cancelledRound = await validation.connect(consumer).openRound.staticCall(canaryListing);
    const before = await token.balanceOf(consumer.address);
    await (await validation.connect(consumer).openRound(canaryListing)).wait();
    const paid = before - (await token.balanceOf(consumer.address));
    await time.increase((await validation.parameters()).drawPeriod);
    await (await validation.drawCommittee(cancelledRound)).wait();
    refund = (await token.balanceOf(consumer.address)) - (before - paid);

    // Another listing's round (low scores): its curator's exits are held from the draw until it is finalized (it is
    // not). A listing nobody curates would take no hold (nor show one).
    reviewedListing = await list("reviewed-model");
    await (await system.curationPool.connect(system.curatorA).stake(reviewedListing, STAKE_A)).wait();
    const reviewedRound = await validation.connect(consumer).openRound.staticCall(reviewedListing);
    await (await validation.connect(consumer).openRound(reviewedListing)).wait();
    await networkHelpers.mine(2);
    const committee = await system.validationHelper.draw(reviewedRound);
    await system.validationHelper.commitScores(reviewedRound, committee, [1_000, 1_000, 1_000, 1_000, 1_000]);
    await system.validationHelper.waitForReveal(reviewedRound);
    await system.validationHelper.revealScores(
      reviewedRound,
      committee,
      committee.slice(1).map((v) => v.address),
    );

    // A challenge the challenger wins delists a listing: its model is slashed.
    for (const juror of system.jurors) await (await jurorPool.connect(juror).stake(JUROR_STAKE)).wait();
    delistedId = await list("spam-model");
    const disputeId = await system.courtHelper.challenge(challenger, delistedId, "ipfs://e/1");
    await juryVotes(system, disputeId, CHALLENGER_WINS);
    await (await system.courtHelper.execute(disputeId)).wait();

    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
  });

  after(async () => {
    await app?.close();
    dir?.remove();
  });

  it("records the operator's root by epoch", () => {
    const entity = app.store.load("CanaryRoot", epoch.toString());
    expect(value(entity, "root")).to.equal(root);
    expect(value(entity, "epoch")).to.equal(epoch);
  });

  it("records the audit with its figures, the member it caught and slashed, and the catchers it paid", async () => {
    const { canary, validatorPool } = system;
    const audit = app.store.load("CanaryAudit", auditedRound.toString());
    expect(value(audit, "commitment")).to.equal(commitment);
    expect(await canary.auditedBy(auditedRound)).to.equal(commitment);
    expect(value(audit, "round")).to.equal(auditedRound.toString());
    expect(value(audit, "listing")).to.equal(canaryListing.toString());
    expect(value(audit, "trueScoreBps")).to.equal(TRUE_SCORE);
    expect(value(audit, "caught")).to.equal(1n);
    expect(value(audit, "catchingSeats")).to.equal(4n);
    // What the reserve paid is what the contract reported (the catchers' share of the slash comes first; the reserve
    // only tops a seat up to the bounty, within the day's budget).
    const [audited] = await canary.queryFilter(canary.filters.CanaryAudited(undefined, auditedRound));
    expect(audited).to.not.equal(undefined);
    expect(value(audit, "bounties")).to.equal(audited!.args.bounties);
    expect(audited!.args.bounties <= BOUNTY_BUDGET).to.equal(true, "within the day's budget");
    expect(value(audit, "transaction")).to.equal(auditTransaction);
    const slashed = value(audit, "slashed") as bigint;
    expect(slashed > 0n).to.equal(true);
    expect((value(audit, "toCatchers") as bigint) + (value(audit, "toPool") as bigint)).to.equal(slashed);
    expect(value(app.store.load("ValidationRound", auditedRound.toString()), "canaryAudit")).to.equal(
      auditedRound.toString(),
    );

    const liar = system.validators[4]!.address.toLowerCase();
    const catches = app.store.loadWhere("CanaryCatch", "audit", auditedRound.toString());
    expect(catches.map((c) => value(c, "validator"))).to.deep.equal([liar]);
    expect(value(catches[0], "slashed")).to.equal(slashed);
    expect(value(catches[0], "scoreBps")).to.equal(9_000);
    // The validator's stake as indexed is the pool's after the slash.
    const member = await validatorPool.memberOf(liar);
    expect(value(app.store.load("Validator", liar), "staked")).to.equal(member.staked);

    const payments = app.store.loadWhere("CanaryCatcherPayment", "audit", auditedRound.toString());
    expect(payments.map((p) => value(p, "validator")).sort()).to.deep.equal(
      system.validators
        .slice(0, 4)
        .map((v) => v.address.toLowerCase())
        .sort(),
    );
    const rewards = payments.reduce((sum, p) => sum + (value(p, "reward") as bigint), 0n);
    expect(rewards).to.equal(value(audit, "toCatchers"));
    const bounties = payments.reduce((sum, p) => sum + (value(p, "bounty") as bigint), 0n);
    expect(bounties).to.equal(value(audit, "bounties"));
  });

  it("records the bounties funded and withdrawn, and the DAO's settings", async () => {
    const flows = app.store.loadWhere("CanaryBountyFlow", "kind", "Funded");
    expect(flows.map((f) => value(f, "amount"))).to.deep.equal([FUNDED]);
    expect(value(flows[0], "funder")).to.equal(system.deployer.address.toLowerCase());
    const withdrawn = app.store.loadWhere("CanaryBountyFlow", "kind", "Withdrawn");
    expect(withdrawn.map((f) => value(f, "amount"))).to.deep.equal([WITHDRAWN]);
    const canary = (await system.canary.getAddress()).toLowerCase();
    const changes = app.store.loadWhere("ParameterChange", "contract", canary);
    const byParameter = (p: string) => changes.filter((c) => value(c, "parameter") === p);
    expect(byParameter("Operator").map((c) => value(c, "newValue"))).to.include(system.deployer.address.toLowerCase());
    const bounty = byParameter("AuditParameters").find((c) => value(c, "key") === "bountyPerSeat");
    expect(value(bounty, "newValue")).to.equal(BOUNTY_PER_SEAT.toString());
    expect(byParameter("BountyBudget").map((c) => value(c, "newValue"))).to.deep.equal([BOUNTY_BUDGET.toString()]);
    expect(value(app.store.load("GovernedContract", canary), "kind")).to.equal("CanaryAudits");
  });

  it("records a cancelled round's fee refunded to its payer", () => {
    const round = app.store.load("ValidationRound", cancelledRound.toString());
    expect(refund > 0n).to.equal(true);
    expect(value(round, "feePaid")).to.equal(refund);
    expect(value(round, "feeRefunded")).to.equal(refund);
    expect(value(round, "feeRefundedTo")).to.equal(system.consumer.address.toLowerCase());
    expect(value(round, "cancelReason")).to.equal("DrawExpired");
    expect(value(app.store.load("ValidationRound", auditedRound.toString()), "feeRefunded")).to.equal(0n);
  });

  it("holds a listing under review while its round runs", () => {
    expect(value(app.store.load("Listing", reviewedListing.toString()), "underReview")).to.equal(true);
    expect(value(app.store.load("Listing", canaryListing.toString()), "underReview")).to.equal(false);
  });

  it("serves the audit, its slashed members and the listing's review state and model slashes over GraphQL", async () => {
    const server = createQueryServer({ executor: new QueryExecutor(app.store) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/curia`;
      const query = `query ($round: ID!, $listing: ID!, $delisted: ID!) {
        validationRound(id: $round) {
          canaryAudit { trueScoreBps caught slashedMembers { validator { id } slashed } payments { bounty } }
        }
        listing(id: $listing) { underReview canaryAudits { id } }
        delisted: listing(id: $delisted) { modelSlashCount modelSlashes { slashes } }
        canaryRoots { epoch root }
      }`;
      const variables = {
        round: auditedRound.toString(),
        listing: canaryListing.toString(),
        delisted: delistedId.toString(),
      };
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Served; errors?: unknown };
      expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
      const audit = body.data!.validationRound.canaryAudit;
      expect(audit.trueScoreBps).to.equal(TRUE_SCORE);
      expect(audit.caught).to.equal("1");
      expect(audit.slashedMembers.map((m) => m.validator.id)).to.deep.equal([
        system.validators[4]!.address.toLowerCase(),
      ]);
      expect(audit.payments).to.have.length(4);
      expect(body.data!.listing).to.deep.equal({ underReview: false, canaryAudits: [{ id: auditedRound.toString() }] });
      expect(body.data!.delisted).to.deep.equal({ modelSlashCount: "1", modelSlashes: [{ slashes: "1" }] });
      expect(body.data!.canaryRoots).to.deep.equal([{ epoch: epoch.toString(), root }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("records the model slash of a delisted listing", async () => {
    const listing = await system.registry.getListing(delistedId);
    const slashes = app.store.loadWhere("ModelSlash", "listing", delistedId.toString());
    expect(slashes).to.have.length(1);
    expect(value(slashes[0], "modelHash")).to.equal(listing.modelHash);
    expect(value(slashes[0], "slashes")).to.equal(1n);
    expect(value(app.store.load("Listing", delistedId.toString()), "modelSlashCount")).to.equal(1n);
  });
});
