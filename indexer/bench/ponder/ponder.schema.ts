// The subgraph's token entities (subgraph/schema.graphql: Protocol, Account, Delegate, DelegationChange,
// VotingPowerChange, DailyStat), with the columns its token mapping writes.
import { onchainTable } from "ponder";

export const protocol = onchainTable("protocol", (t) => ({
  id: t.text().primaryKey(),
  totalSupply: t.bigint().notNull(),
  holderCount: t.integer().notNull(),
  delegatedVotes: t.bigint().notNull(),
  delegateCount: t.integer().notNull(),
}));

export const account = onchainTable("account", (t) => ({
  id: t.hex().primaryKey(),
  balance: t.bigint().notNull(),
  delegate: t.hex(),
}));

export const delegate = onchainTable("delegate", (t) => ({
  id: t.hex().primaryKey(),
  votingPower: t.bigint().notNull(),
  delegatorCount: t.integer().notNull(),
}));

export const delegationChange = onchainTable("delegation_change", (t) => ({
  id: t.text().primaryKey(),
  delegator: t.hex().notNull(),
  fromDelegate: t.hex(),
  toDelegate: t.hex(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  transaction: t.hex().notNull(),
  logIndex: t.integer().notNull(),
}));

export const votingPowerChange = onchainTable("voting_power_change", (t) => ({
  id: t.text().primaryKey(),
  delegate: t.hex().notNull(),
  previousVotes: t.bigint().notNull(),
  newVotes: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  transaction: t.hex().notNull(),
  logIndex: t.integer().notNull(),
}));

export const dailyStat = onchainTable("daily_stat", (t) => ({
  id: t.text().primaryKey(),
  date: t.integer().notNull(),
  transfers: t.integer().notNull(),
  transferVolume: t.bigint().notNull(),
  totalSupply: t.bigint().notNull(),
  delegatedVotes: t.bigint().notNull(),
  delegationChanges: t.integer().notNull(),
}));
