// The protocol v2 architecture (one StakePool for jurors and validators, a generic Court with ListingChallenges as its
// arbitrable, ValidationManager with rounds only) against the v1 contracts it replaced, operation by operation:
// benchmarks/v1/ holds the v1 figures (the gas-*.json files this bench wrote at commit 033ac20, the last v1 commit),
// and this step reads the figures the bench has just written and rewrites benchmarks/gas-v1-v2.{md,json}.
// Targets (issue 15): everyday operations within +3 % of v1; court and validation operations within +10 %.
import { readFileSync } from "node:fs";
import { COMMAND, formatDelta, formatGas, markdownTable, writeReport } from "./common.js";

type Source = "court" | "marketplace" | "governance" | "validation";

interface Pick {
  source: Source;
  key: string;
  /** The court and marketplace benches measure two state sizes: the small one is compared. */
  field?: string;
  /** Per-seat figures divide by the round's seats. */
  divideBy?: number;
}

type Group = "everyday" | "staking pools" | "court and validation";

interface Comparison {
  label: string;
  group: Group;
  v1: Pick;
  v2: Pick;
  /** Why the figure moved (shown when it moved by 1 % or more). */
  why?: string;
}

const EVERYDAY = 3;
const COURT_AND_VALIDATION = 10;
/** Juror and validator stakes moved from the Court and the ValidationManager into the StakePool: they were court and
 * validation operations in v1 and keep that target. */
const TARGETS: Record<Group, number> = {
  everyday: EVERYDAY,
  "staking pools": COURT_AND_VALIDATION,
  "court and validation": COURT_AND_VALIDATION,
};

const gov = (key: string): Pick => ({ source: "governance", key, field: "curia" });
const market = (key: string): Pick => ({ source: "marketplace", key, field: "small" });
const court = (key: string, divideBy?: number): Pick => ({ source: "court", key, field: "small", divideBy });
const validation = (key: string): Pick => ({ source: "validation", key });

const HOP =
  "one call into a separately deployed proxy (the StakePool or ListingChallenges: cold account, implementation " +
  "slot and delegatecall, ~7,000 gas the first time in a transaction) and the pool's own event";

const COMPARISONS: Comparison[] = [
  { label: "delegate", group: "everyday", v1: gov("delegate"), v2: gov("delegate") },
  { label: "propose (1 action)", group: "everyday", v1: gov("propose"), v2: gov("propose") },
  { label: "castVote (1st voter)", group: "everyday", v1: gov("castVoteFirst"), v2: gov("castVoteFirst") },
  {
    label: "castVoteWithReason",
    group: "everyday",
    v1: gov("castVoteWithReason"),
    v2: gov("castVoteWithReason"),
  },
  { label: "queue", group: "everyday", v1: gov("queue"), v2: gov("queue") },
  { label: "execute", group: "everyday", v1: gov("execute"), v2: gov("execute") },
  { label: "purchase (listing with curators)", group: "everyday", v1: market("purchase"), v2: market("purchase") },
  {
    label: "purchase (listing without curators)",
    group: "everyday",
    v1: market("purchaseNoCurators"),
    v2: market("purchaseNoCurators"),
  },
  {
    label: "curator stake (first on a listing)",
    group: "everyday",
    v1: market("stakeFirst"),
    v2: market("stakeFirst"),
  },
  { label: "curator requestUnstake", group: "everyday", v1: market("requestUnstake"), v2: market("requestUnstake") },
  { label: "curator withdraw", group: "everyday", v1: market("withdraw"), v2: market("withdraw") },
  { label: "curator claim", group: "everyday", v1: market("claim"), v2: market("claim") },
  {
    label: "juror stake (new juror; v2: the jurors' pool)",
    group: "staking pools",
    v1: court("stakeNew"),
    v2: court("stakeNew"),
  },
  { label: "juror stake (adds to its stake)", group: "staking pools", v1: court("stakeMore"), v2: court("stakeMore") },
  { label: "juror requestUnstake", group: "staking pools", v1: court("requestUnstake"), v2: court("requestUnstake") },
  { label: "juror withdraw", group: "staking pools", v1: court("withdraw"), v2: court("withdraw") },
  {
    label: "validator stake (v1: register; v2: the validators' pool)",
    group: "staking pools",
    v1: validation("register"),
    v2: validation("stakeNew"),
  },
  {
    label: "validator stake more (v1: addStake)",
    group: "staking pools",
    v1: validation("addStake"),
    v2: validation("stakeMore"),
  },
  {
    label: "validator requestUnstake",
    group: "staking pools",
    v1: validation("requestUnstake"),
    v2: validation("requestUnstake"),
  },
  { label: "validator withdraw", group: "staking pools", v1: validation("withdraw"), v2: validation("withdraw") },
  {
    label: "validator claimRewards",
    group: "staking pools",
    v1: validation("claimRewards"),
    v2: validation("claimRewards"),
  },
  {
    label: "challenge (v1: Court.challengeListing; v2: ListingChallenges.challenge)",
    group: "court and validation",
    v1: court("challengeListing"),
    v2: court("challenge"),
  },
  {
    label: "draw, per seat (first round, 3 seats)",
    group: "court and validation",
    v1: court("drawFirst", 3),
    v2: court("drawFirst", 3),
  },
  {
    label: "draw, per seat (appeal round, 7 seats)",
    group: "court and validation",
    v1: court("drawAppeal", 7),
    v2: court("drawAppeal", 7),
  },
  { label: "commit", group: "court and validation", v1: court("commit"), v2: court("commit") },
  { label: "reveal", group: "court and validation", v1: court("reveal"), v2: court("reveal") },
  { label: "appeal", group: "court and validation", v1: court("appeal"), v2: court("appeal") },
  {
    label: "executeRuling (one round; delists)",
    group: "court and validation",
    v1: court("executeOneRound"),
    v2: court("executeOneRound"),
  },
  {
    label: "executeRuling (two rounds; delists)",
    group: "court and validation",
    v1: court("executeAppealed"),
    v2: court("executeAppealed"),
  },
  {
    label: "settle (coherent juror: reward)",
    group: "court and validation",
    v1: court("settleCoherent"),
    v2: court("settleCoherent"),
  },
  {
    label: "settle (incoherent juror: penalty)",
    group: "court and validation",
    v1: court("settleIncoherent"),
    v2: court("settleIncoherent"),
  },
  { label: "openRound", group: "court and validation", v1: validation("openRound"), v2: validation("openRound") },
  {
    label: "drawCommittee (5 seats)",
    group: "court and validation",
    v1: validation("drawCommittee"),
    v2: validation("drawCommittee"),
  },
  { label: "commitScore", group: "court and validation", v1: validation("commitScore"), v2: validation("commitScore") },
  { label: "revealScore", group: "court and validation", v1: validation("revealScore"), v2: validation("revealScore") },
  {
    label: "finalizeRound (1 outlier penalised)",
    group: "court and validation",
    v1: validation("finalizeRound"),
    v2: validation("finalizeRound"),
  },
  {
    label: "finalizeRound (opens a dispute)",
    group: "court and validation",
    v1: validation("finalizeRoundDispute"),
    v2: validation("finalizeRoundDispute"),
  },
];

/** Why a figure moved, by label: every move of 1 % or more, from the traces of the measured transactions. */
export const EXPLANATIONS: Record<string, string> = {
  "purchase (listing with curators)":
    "the sales cap per unit of bond (issue 18): each purchase bounds the listing's earnings in escrow by its bond " +
    "times the governed rate, which it reads (~1,650; the IR pipeline ListingRegistry now compiles through saves ~900 " +
    "elsewhere)",
  "purchase (listing without curators)": "the same",
  "curator stake (first on a listing)":
    "the warm-up (a stake earns only once it has warmed up, against just-in-time staking): the position's warm-up " +
    "end is read before the stake and written with the warming shares, in their slot (no extra slot from zero)",
  "juror stake (new juror; v2: the jurors' pool)":
    "measured with no draw pending, so the stake moves the tree (a stake while a draw is pending leaves it for a " +
    "later sync and costs less); the pool's stake total shares a slot with the token address it reads anyway, the " +
    "member's leaf in the draw tree is kept in its stake's slot (the tree's account-to-leaf slot from zero cost " +
    "22,100), and the tree's total is its root's lanes (no total to write)",
  "juror stake (adds to its stake)":
    "the same: the member's leaf and the tree's height come from slots the stake reads anyway",
  "juror requestUnstake":
    "no locked/thaw-end slot to write from zero: the thaw date shares the thawing stake's slot; the weight leaves " +
    "the tree through the leaf kept in the stake's slot, and the tree's total is its root's lanes (no total to write)",
  "juror withdraw": "a withdrawal that empties the thawing stake clears its date too, freeing the slot (a refund)",
  "validator stake (v1: register; v2: the validators' pool)":
    "no `registered` flag to set in a fresh slot: holding stake in the pool is being a validator; the member's " +
    "leaf in the draw tree is kept in its stake's slot, written anyway (the tree's account-to-leaf slot from zero " +
    "cost 22,100), and the tree's total is its root's lanes (no total to write)",
  "validator stake more (v1: addStake)":
    "the pool's stake total shares a slot with the token address; the member's leaf sits in its stake's slot and the " +
    "tree's height in the totals' slot (no cold read of either), and the tree's total is its root's lanes (no write)",
  "validator requestUnstake":
    "the first unstake writes the member's thawing slot from zero (20,000); in v1 the `registered` flag kept that " +
    "slot non-zero (a juror's first unstake paid it in v1 too); fair draws: the pool checks whether a draw is pending " +
    "before it moves the weight in the tree (in the totals' slot, with the tree's height; the member's leaf is in " +
    "its stake's slot and the tree's total is its root's lanes, so the tree costs no slot of its own but its nodes)",
  "validator withdraw": "the emptied thawing slot is cleared (a refund); v1 kept the `registered` flag in it",
  "draw, per seat (first round, 3 seats)":
    "the keeper's reward, now credited (claimed later with claimDrawRewards) instead of paid at each draw: paying it " +
    "cost 49,793 a call (a call into the pool, the token transfer and its vote-delegation reads, ManagerPaid); the " +
    "credit costs 33,326 here over a draw with a 0 bps reward (215,263, -6.6 %): the round's fees and the dispute's " +
    "escrow, each a cold slot read and written, the reward's rate, DrawRewarded, and the keeper's credit, written " +
    "from zero on this keeper's first draw (22,100; ~5,000 once it holds a credit, see the appeal row). What fair " +
    "draws add besides (each seat's own value, a keccak of seed, seat and attempt; the check that the juror's stake " +
    "still backs its frozen weight; a call into the jurors' pool and StakeLocked per seat; the end of the pool's " +
    "freeze, endDraw) is paid for by a seat's lock sharing its slot with the drawable stake (no write from zero) and " +
    "the pending draws sharing the pool's minimum-stake slot",
  "draw, per seat (appeal round, 7 seats)":
    "the same credit, on a keeper that already holds one: 16,226 a call over a 0 bps draw (326,552, -0.1 %), 2,318 " +
    "a seat",
  "challenge (v1: Court.challengeListing; v2: ListingChallenges.challenge)":
    "the challenge crosses three contracts instead of one: ListingChallenges (its proxy: cold account, implementation " +
    "and delegatecall) asks the registry for the provider and the court for its fee, the court checks that the " +
    "jurors' pool has jurors (totalWeight) and freezes it until the draw (beginDraw: a call and an event), the fee " +
    "moves twice (challenger → adapter → jurors' pool, which pays the jurors), the adapter keeps its own record of " +
    "the challenge (a slot from zero), asks the registry whether the validation role challenged (a pool's bond is " +
    "never a winner's) and emits ERC-1497's Dispute and Evidence. Its bond total now shares the token's slot, read " +
    "anyway (it cost 22,100 whenever no other challenge was open: -19,228 here). Of what remains, 17,100 is this " +
    "scenario's: no other challenge is open, so the adapter's CUR balance is written from zero (v1's court always " +
    "held the jurors' stakes); without it +4.9 %. The court's dispute count now shares the escrow total's slot, " +
    "written anyway (-2,797). The listing's dispute id now shares its bond's slot in the registry (64 bits; it was " +
    "a slot written from zero at every challenge: -17,085, 478,094 -> 461,009). A challenge now counts against its " +
    "model's relisting bond until it is ruled (a provider that saw its challenge coming relisted the same model at " +
    "the unslashed bond before the ruling: test/marketplace/provider-risk.test.ts), a defence: the model's pending " +
    "count shares one slot with its slash count, which a model's first challenge writes from zero (the model hash's " +
    "cold read and the slot: +24,319, 461,820 -> 486,139) and its delisting then only updates (executeRuling " +
    "-17,060). On a model challenged before, the slot is already written. And only challengeFromRound asks the " +
    "registry for its validation role now (a challenge() is never the pool's, whoever files it: -3,448, " +
    "486,139 -> 482,691)",
  appeal:
    "the new round freezes the jurors' pool until it is drawn (beginDraw: a call into the pool, an event) and " +
    "records its draw deadline; since the court's escrow total shares the dispute count's slot, not the token " +
    "address's, the appeal reads the token in a slot of its own (+1,905; the ruling and the challenge save more)",
  openRound:
    "the round freezes the validators' pool until its committee is drawn (beginDraw: a call into the pool, an event)",
  "executeRuling (one round; delists)":
    "the ruling crosses into ListingChallenges (its proxy, the parties read back from the court) and the court pulls " +
    "the jurors' share from it (one more token transfer, ~12,000); v1 kept the loser's stake in the court. Since " +
    "the first v2 figure (252,967) the delisting also counts the model's slashes (ModelSlashed: a slot from zero, " +
    "~24,000, what later sets a relisting's bond), slashes the listing's escrowed earnings (one more slot read) and " +
    "ends the curators' exit freeze of the dispute (a call into the CurationPool, a write and an event, ~10,000): " +
    "the defences of issues 17 and 18, not layout; those alone exceed the 10 %. The adapter's bond total now shares " +
    "the token's slot: returning to zero it no longer earns a refund (+2,693 here, the only open challenge), while " +
    "every challenge opened with no other open saves 19,228. The court's escrow and reward totals now share one slot " +
    "(with the dispute count), so the ruling moves the escrow into the rewards with one cold write instead of two " +
    "(-2,916). Traced (279,537): the registry's delisting ~110,000 (the listing's slots, the model's count from zero " +
    "22,100, the bond's transfer to the adapter ~25,000, the freeze lifted ~14,400), the curators' slash ~44,000 " +
    "(its transfer to the treasury ~18,000), the adapter's own reads and writes ~36,000, the winner's transfer " +
    "~11,600, the court's pull ~14,100; each of the five token transfers also reads both parties' vote delegates " +
    "(CuriaToken's ERC20Votes: six cold reads, 12,600, in this ruling). The adapter slashes the registry's current " +
    "CurationPool, asked at the ruling through the registry's curationPool() (one slot, warm after the registry " +
    "lifted the freeze), instead of a copy of its own that went stale when the DAO rebound the registry's pool " +
    "(-155 against the copy: the copy's cold slot read is gone). The treasury's two shares are now held instead " +
    "of transferred (-19,390, 279,404 -> 260,014): the curators' slash stays in the CurationPool with its treasury " +
    "fees (which share the stake total's slot, written by the slash anyway) until sweepTreasuryFees, and the " +
    "adapter's share of the bond goes to the court in the one pull that takes the jurors' share, set aside with the " +
    "court's own until sweepTreasury (one write beside the token it reads). Traced (260,014): the registry's " +
    "delisting ~104,500 (the model's count from zero 22,100 is the largest part left: the count is per model hash " +
    "and no slot keyed by the model exists before its first slash), the curators' slash ~25,200, the adapter's own " +
    "work ~37,600, the winner's transfer ~10,700, the court's pull ~13,500. Then (-9,292, 260,019 -> 250,727): " +
    "the registry's one call into the CurationPool lifts the freeze and slashes the curators for the treasury " +
    "(resolveDispute: the adapter's own call into the pool, its curationPool() read and its timelock read are gone), " +
    "the listing's dispute id shares the bond's slot (one cold read and one write less; clearing both still earns " +
    "the refund) and the registry's bond total shares the token's slot (one cold read less). What keeps the row " +
    "above its target: the model's count from zero (22,100, per model hash by design), the parties read back from " +
    "the court (~3,400: the adapter's challenge slot has no room for the challenger) and the court's own side. " +
    "The court reads the DAO-appeal fee's slot only for a dispute that went to the DAO (the flag shares the slot it " +
    "reads first: -1,963, 251,012 -> 249,049; the marks of rounds with a coherent seat, written with the ruling, " +
    "+100; at 100 runs, +180). The model's slash count now shares its slot with the model's pending challenges, " +
    "written when the model was challenged (see challenge), so the delisting updates it instead of writing it from " +
    "zero (-17,060; with the registry at 100 runs, 249,049 -> 231,971)",
  "executeRuling (two rounds; delists)":
    "the same; the first round's unearned fees are set aside for the treasury (swept later) instead of transferred; " +
    "and the appeal was crowdfunded, so the adapter reads the dispute back from the court to apply the default rule " +
    "(a side that alone funded the appeal wins); it now asks the court's parameters and appeal cost only when the " +
    "other side did fund the last round (-9,739 with the bond total's slot). The escrow and reward totals' shared " +
    "slot saves one cold write, and the treasury's share is set aside beside the token read to pull the jurors' " +
    "share instead of beside the dispute count (-4,916). The treasury's shares held as in the one-round ruling " +
    "(-22,848, 304,732 -> 281,884; the court's treasury slot is written here anyway for the first round's fees). " +
    "The challenge's slot now records, per side, the last round whose appeal that side raised: the default rule " +
    "asks the court nothing when the other side never raised the last round's (getDispute and the funding record's " +
    "read: -6,968), with the one-round ruling's cuts (281,660 -> 265,401) and the court's (the DAO-appeal fee read " +
    "only after a DAO appeal, -1,963: 265,686 -> 263,723) and the model's slash count updated, not written from " +
    "zero (-17,060), and the first round, with no coherent seat, no longer writes its reward pool's zero over zero " +
    "(a cold read and a write: -2,304; 263,723 -> 244,359)",
  "settle (incoherent juror: penalty)":
    "one call into the jurors' pool (cold proxy and implementation, ~7,300, and the manager check, 2,100), which v1 " +
    "did not have, and the pool's StakeReleased (1,893). Paid for by: the vote, read and written anyway, now carries " +
    "its seats' stake and penalty (added up at the draw) and the ruling marks the rounds with a coherent seat in the " +
    "dispute's slot, so the settlement reads no round (-2,100); in the pool the tree's total is the sum of its root's " +
    "lanes (no total written, -2,900), the member's leaf sits in its stake's slot and the tree's height in the " +
    "totals' slot (no cold read of either, -4,200), and StakeReleased leaves the balances after out (the subgraph " +
    "applies the pool's rule: the slash takes drawable stake first, -512; the thawing slot is read only when the " +
    "slash reaches it). The manager's calls carry no reentrancy guard (only the manager calls them, and their only " +
    "outside call is a transfer of the pool's fixed CUR token). The stake and lock totals share one slot with the " +
    "pending draws, and a round's seat stake, penalty and coherent seats one slot (the coherent settle reads it). " +
    "Traced (85,333 before the vote carried the amounts): in the court 4 cold reads and 2 writes (dispute, vote, " +
    "round, pending penalties), in the pool the manager, member, totals and 2 tree nodes",
  "drawCommittee (5 seats)":
    "the seats are drawn and locked in the validators' pool in one call for the whole committee, which also ends " +
    "the pool's freeze (endDrawAndLockSeats; one call per attempt and one more to end the draw cost ~7,600 more); " +
    "the locks emit one SeatsLocked for the committee (its seats' words as the call returns them, which the subgraph " +
    "indexes: -5,600 against a StakeLocked per seat) and write the pool's lock total once (-1,000). Since issue 17 " +
    "the draw holds the listing's curators' exits until finalisation (a curator who read the first low reveal in " +
    "the mempool left before it was mined), a defence, not layout: ~19,900 traced, the registry forwarding the hold " +
    "to its CurationPool (cold proxy and implementation, ~7,300, the pool's slot and UnderReviewSet), 8,800 less than " +
    "asking the registry for its four addresses and the pool asking it for the role. Without the hold the draw is " +
    "~412,300 (+3.1 %). The tree's height now shares the pool's totals' slot, read for the pending draws anyway " +
    "(-2,100 against the tree's own slot). The registry's forwarded hold now answers whether the pool took it, and " +
    "the round keeps that answer in the slot the draw writes anyway; with the IR pipeline, 427,536. A listing nobody " +
    "curates takes no hold and the pool no longer emits UnderReviewSet for it (nothing will lift it: -1,564, " +
    "429,590 -> 425,972)",
  "finalizeRound (1 outlier penalised)":
    "the committee is released in one call into the validators' pool (cold proxy and implementation, the manager " +
    "check, the arrays' encoding) with one StakesReleased event for the batch (6,126 traced; a StakeReleased per " +
    "member cost 5 × 2,661 and, before it left the thawing stake out, read each member's thawing slot, 5 × 2,100) " +
    "and the pool's lock and stake totals " +
    "written once; v1 did the same bookkeeping inside the ValidationManager. The penalty comes back to the reward " +
    "pool in one token transfer (~24,000 traced with the pool's balance check: the token cold, the vote-delegation " +
    "reads, ManagerPaid), and in this scenario the ValidationManager held no CUR before (its reward pool is empty " +
    "until a first penalty or grant; v1 held the validators' stakes), so the transfer writes its balance from zero " +
    "(+17,100 once). Keeping the penalty in the pool as the manager's reserve would move a pull from the pool onto " +
    "the first claimRewards here (~14,000, past that row's target). The rewards owed share the pool's slot, read " +
    "anyway (v1 and v2 before wrote them from zero here: -19,200). Since issue 17 finalisation also lifts the " +
    "curators' hold taken at the draw (~16,500 since the registry forwards it to its CurationPool, which trusts the " +
    "registry alone: -8,400 against asking the registry for both the pool and the role; and setQuality lifts it in " +
    "the same call: -1,800 against a second call into the registry) and checks each member against the " +
    "overturned-committee hold (+1,400). The batch's collected slash leaves the pool without a balance check (what " +
    "it just took out of the stakes is backed: -2,388 against reading the token's balance), and the outlier's slash " +
    "moves its weight in a tree whose total is its root's lanes and whose height sits in the pool's totals' slot " +
    "(-3,236 and -2,000). The round now records whether its draw took the curators' hold (a bit in the slot the " +
    "draw writes anyway) and its end lifts only a hold it took: this listing has no curators, so finalisation no " +
    "longer calls the registry and the CurationPool (-16,445; a curated listing's end lifts the hold in a call of " +
    "its own after setQuality, ~1,800 more than when setQuality lifted it). The ValidationManager compiles through " +
    "the IR pipeline (-2,941). And the scenario's market has sold calls and swept their fees before the round, as " +
    "a live market has: the validators' share of the fees is this reward pool, so the penalty's transfer no longer " +
    "writes its balance from zero (-17,100; 361,993 -> 325,507). A market's first round, before any sale's fees were " +
    "swept, still pays it: 342,607 (+14.7 %)",
  "finalizeRound (opens a dispute)":
    "the same release, and the challenge through ListingChallenges (see challenge: the registry, court and jurors' " +
    "pool calls, the fee moving twice), which writes the round's evidence URI from its own prefix. As for challenge, " +
    "the adapter's bond total is no longer written from zero (-19,206), but its CUR balance still is in this " +
    "scenario (17,100). Since issue 17's overturned-committee hold the members whose fate depends on the ruling are " +
    "not slashed or released here but by settleCommittee after it (-11,000). The curators' hold is lifted through " +
    "the registry with the quality, before the challenge, whose freeze then finds the CurationPool warm, and the " +
    "adapter's approval, used up by the challenge, is no longer reset to zero (a token call and an Approval event: " +
    "-1,950 net of the allowance read). " +
    "The committee's release emits one StakesReleased for the batch, the rewards owed share the pool's slot " +
    "(-16,800), and setQuality lifts the hold in its own call (-1,800). The listing's dispute id shares its bond's " +
    "slot in the registry (-17,063, 718,554 -> 701,491). Then +17,024 (701,884 -> 718,908): the challenge writes " +
    "the model's pending count from zero (+24,319, see challenge); the round's end no longer lifts a hold its draw " +
    "did not take, but that call had warmed the CurationPool for the challenge's freeze, which now pays the pool's " +
    "cold proxy and slots itself (net -3,869); the IR pipeline, -3,308; the pool's challenge asks the registry for " +
    "the validation role before opening and marks the challenge pooled after (-118): 718,908",
};

function load(dir: string, source: Source): unknown {
  return JSON.parse(readFileSync(`${dir}/gas-${source}.json`, "utf8"));
}

function read(data: unknown, pick: Pick): number {
  let value: unknown;
  if (pick.source === "validation") {
    value = (data as Record<string, { gasUsed: string | number }>)[pick.key]?.gasUsed;
  } else {
    const row = (data as { operations: Record<string, unknown>[] }).operations.find((o) => o.key === pick.key);
    value = row?.[pick.field ?? "small"];
  }
  if (value === undefined) throw new Error(`no ${pick.source} figure for ${pick.key}`);
  return Math.round(Number(value) / (pick.divideBy ?? 1));
}

export interface V1Row {
  label: string;
  group: string;
  v1: number;
  v2: number;
  deltaPercent: number;
  targetPercent: number;
  met: boolean;
  why: string;
}

export function compareWithV1(dir = "benchmarks"): V1Row[] {
  const data = new Map<string, { v1: unknown; v2: unknown }>();
  for (const source of ["court", "marketplace", "governance", "validation"] as const) {
    data.set(source, { v1: load(`${dir}/v1`, source), v2: load(dir, source) });
  }
  return COMPARISONS.map((c) => {
    const v1 = read(data.get(c.v1.source)!.v1, c.v1);
    const v2 = read(data.get(c.v2.source)!.v2, c.v2);
    const deltaPercent = Math.round(((v2 - v1) / v1) * 1000) / 10;
    const targetPercent = TARGETS[c.group];
    return {
      label: c.label,
      group: c.group,
      v1,
      v2,
      deltaPercent,
      targetPercent,
      met: deltaPercent <= targetPercent,
      why: Math.abs(deltaPercent) >= 1 ? (EXPLANATIONS[c.label] ?? c.why ?? "") : "",
    };
  });
}

export function writeV1Comparison(): V1Row[] {
  const rows = compareWithV1();
  const table = markdownTable(
    ["operation", "group", "v1", "v2", "Δ", "target", "met", "why"],
    rows.map((r) => [
      r.label,
      r.group,
      formatGas(r.v1),
      formatGas(r.v2),
      formatDelta(r.deltaPercent),
      `≤ +${r.targetPercent}%`,
      r.met ? "✓" : "✗",
      r.why,
    ]),
  );
  const failed = rows.filter((r) => !r.met);
  const markdown = `# Gas: protocol v2 against v1

Produced by \`${COMMAND}\` after the four gas reports: it compares their figures with the v1 figures in
\`benchmarks/v1/\` (what the same bench wrote at commit 033ac20, the last v1 commit, same scenarios where the
operation still exists). Targets (issue 15): everyday operations within +${EVERYDAY} % of v1, court and validation
operations within +${COURT_AND_VALIDATION} %; the jurors' and validators' stake operations, court and validation
operations in v1, now live in the StakePool and keep +${COURT_AND_VALIDATION} %. The court and marketplace figures are those of the small state (10 jurors,
10 listings and curators). ${HOP_NOTE}

${failed.length === 0 ? "Every operation meets its target." : `Beyond their target: ${failed.map((r) => r.label).join("; ")}.`}

${table}
`;
  writeReport("benchmarks/gas-v1-v2", markdown, { command: COMMAND, rows });
  console.log(markdown);
  return rows;
}

const HOP_NOTE = `Where a v2 operation crosses contracts that v1 kept in one, it pays ${HOP}.`;
