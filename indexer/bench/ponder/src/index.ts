// Ponder's handlers for the bench: what subgraph/src/token.ts does for Transfer, DelegateChanged and
// DelegateVotesChanged (balances, holder and delegate counts, supply, voting power and its history, daily
// statistics), in Ponder's own idiom (find, then insert or update), so both indexers do the same work per event.
import { ponder, type Context } from "ponder:registry";
import { account, dailyStat, delegate, delegationChange, protocol, votingPowerChange } from "ponder:schema";
import { zeroAddress } from "viem";

type Db = Context["db"];
const PROTOCOL_ID = "curia";
const SECONDS_PER_DAY = 86400n;

async function loadOrCreateProtocol(db: Db) {
  return (
    (await db.find(protocol, { id: PROTOCOL_ID })) ??
    (await db
      .insert(protocol)
      .values({ id: PROTOCOL_ID, totalSupply: 0n, holderCount: 0, delegatedVotes: 0n, delegateCount: 0 }))
  );
}

async function loadOrCreateAccount(db: Db, id: `0x${string}`) {
  return (await db.find(account, { id })) ?? (await db.insert(account).values({ id, balance: 0n, delegate: null }));
}

async function loadOrCreateDelegate(db: Db, id: `0x${string}`) {
  const found = await db.find(delegate, { id });
  if (found !== null) return found;
  await loadOrCreateAccount(db, id);
  return await db.insert(delegate).values({ id, votingPower: 0n, delegatorCount: 0 });
}

/** The day's statistics row, created from the protocol's totals as the subgraph's loadOrCreateDailyStat does. */
async function loadOrCreateDailyStat(
  db: Db,
  timestamp: bigint,
  totals: { totalSupply: bigint; delegatedVotes: bigint },
) {
  const day = timestamp / SECONDS_PER_DAY;
  const id = day.toString();
  return (
    (await db.find(dailyStat, { id })) ??
    (await db.insert(dailyStat).values({
      id,
      date: Number(day * SECONDS_PER_DAY),
      transfers: 0,
      transferVolume: 0n,
      totalSupply: totals.totalSupply,
      delegatedVotes: totals.delegatedVotes,
      delegationChanges: 0,
    }))
  );
}

ponder.on("CuriaToken:Transfer", async ({ event, context }) => {
  const { db } = context;
  const { from, to, value } = event.args;
  const totals = await loadOrCreateProtocol(db);
  let { totalSupply, holderCount } = totals;
  if (from === zeroAddress) {
    totalSupply += value;
  } else {
    const before = (await loadOrCreateAccount(db, from)).balance;
    await db.update(account, { id: from }).set({ balance: before - value });
    if (before !== 0n && before - value === 0n) holderCount -= 1;
  }
  if (to === zeroAddress) {
    totalSupply -= value;
  } else {
    const before = (await loadOrCreateAccount(db, to)).balance;
    await db.update(account, { id: to }).set({ balance: before + value });
    if (before === 0n && before + value !== 0n) holderCount += 1;
  }
  await db.update(protocol, { id: PROTOCOL_ID }).set({ totalSupply, holderCount });
  const stat = await loadOrCreateDailyStat(db, event.block.timestamp, totals);
  await db.update(dailyStat, { id: stat.id }).set({
    transfers: stat.transfers + 1,
    transferVolume: stat.transferVolume + value,
    totalSupply,
  });
});

ponder.on("CuriaToken:DelegateChanged", async ({ event, context }) => {
  const { db } = context;
  const { delegator, fromDelegate, toDelegate } = event.args;
  await loadOrCreateAccount(db, delegator);
  if (fromDelegate !== zeroAddress) {
    const previous = await loadOrCreateDelegate(db, fromDelegate);
    await db.update(delegate, { id: fromDelegate }).set({ delegatorCount: previous.delegatorCount - 1 });
  }
  if (toDelegate !== zeroAddress) {
    const next = await loadOrCreateDelegate(db, toDelegate);
    await db.update(delegate, { id: toDelegate }).set({ delegatorCount: next.delegatorCount + 1 });
  }
  await db.insert(delegationChange).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    delegator,
    fromDelegate: fromDelegate === zeroAddress ? null : fromDelegate,
    toDelegate: toDelegate === zeroAddress ? null : toDelegate,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transaction: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  await db.update(account, { id: delegator }).set({ delegate: toDelegate === zeroAddress ? null : toDelegate });
  const stat = await loadOrCreateDailyStat(db, event.block.timestamp, await loadOrCreateProtocol(db));
  await db.update(dailyStat, { id: stat.id }).set({ delegationChanges: stat.delegationChanges + 1 });
});

ponder.on("CuriaToken:DelegateVotesChanged", async ({ event, context }) => {
  const { db } = context;
  const { delegate: id, previousVotes, newVotes } = event.args;
  await loadOrCreateDelegate(db, id);
  await db.update(delegate, { id }).set({ votingPower: newVotes });
  await db.insert(votingPowerChange).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    delegate: id,
    previousVotes,
    newVotes,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transaction: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
  const totals = await loadOrCreateProtocol(db);
  const delegatedVotes = totals.delegatedVotes + newVotes - previousVotes;
  let { delegateCount } = totals;
  if (previousVotes === 0n && newVotes !== 0n) delegateCount += 1;
  if (previousVotes !== 0n && newVotes === 0n) delegateCount -= 1;
  await db.update(protocol, { id: PROTOCOL_ID }).set({ delegatedVotes, delegateCount });
  const stat = await loadOrCreateDailyStat(db, event.block.timestamp, totals);
  await db.update(dailyStat, { id: stat.id }).set({ delegatedVotes });
});
