// The dashboard's data: DailyStat rows (one per day with activity), quality updates and the Protocol totals, turned
// into chart series (CUR as numbers of whole CUR, quality in percent).
import { formatUnits } from "viem";
import { fetchAllPages, type GraphQLClient } from "../graphql/client";
import type { ChartPoint, ChartSeries } from "./chart";

export interface DailyStatRow {
  id: string;
  date: number;
  fees: string;
  purchases: number;
  purchaseVolume: string;
  disputesCreated: number;
  disputesExecuted: number;
  validationRoundsOpened: number;
  curatorStake: string;
  jurorStake: string;
  validatorStake: string;
}

export interface QualityUpdateRow {
  id: string;
  listing: { id: string };
  newQualityBps: number;
  timestamp: string;
}

export interface ProtocolTotals {
  listingCount: number;
  disputeCount: number;
  validationRoundCount: number;
  curatorStake: string;
  jurorStake: string;
  validatorStake: string;
  totalFees: string;
}

export interface DashboardData {
  days: DailyStatRow[];
  qualityUpdates: QualityUpdateRow[];
  protocol: ProtocolTotals | null;
}

export async function fetchDashboard(gql: GraphQLClient): Promise<DashboardData> {
  const [days, qualityUpdates, { protocol }] = await Promise.all([
    fetchAllPages(
      async (after, first) =>
        (
          await gql.request<{ dailyStats: DailyStatRow[] }>(
            `query($after: ID!, $first: Int!) {
            dailyStats(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) {
              id date fees purchases purchaseVolume disputesCreated disputesExecuted validationRoundsOpened
              curatorStake jurorStake validatorStake
            }
          }`,
            { after, first },
          )
        ).dailyStats,
    ),
    fetchAllPages(
      async (after, first) =>
        (
          await gql.request<{ qualityUpdates: QualityUpdateRow[] }>(
            `query($after: ID!, $first: Int!) {
            qualityUpdates(first: $first, where: { id_gt: $after }, orderBy: id, orderDirection: asc) {
              id listing { id } newQualityBps timestamp
            }
          }`,
            { after, first },
          )
        ).qualityUpdates,
    ),
    gql.request<{ protocol: ProtocolTotals | null }>(
      `{ protocol(id: "curia") {
        listingCount disputeCount validationRoundCount curatorStake jurorStake validatorStake totalFees
      } }`,
    ),
  ]);
  return { days: days.sort((a, b) => a.date - b.date), qualityUpdates, protocol };
}

/** Whole CUR as a number (for plotting; the tables show exact amounts). */
export function curNumber(wei: string | bigint): number {
  return Number(formatUnits(BigInt(wei), 18));
}

function daily(days: readonly DailyStatRow[], value: (d: DailyStatRow) => number): ChartPoint[] {
  return [...days].sort((a, b) => a.date - b.date).map((d) => ({ x: d.date, y: value(d) }));
}

export function feeSeries(days: readonly DailyStatRow[]): ChartSeries[] {
  return [{ name: "Fees (CUR)", points: daily(days, (d) => curNumber(d.fees)) }];
}

export function stakeSeries(days: readonly DailyStatRow[]): ChartSeries[] {
  return [
    { name: "Curators", points: daily(days, (d) => curNumber(d.curatorStake)) },
    { name: "Jurors", points: daily(days, (d) => curNumber(d.jurorStake)) },
    { name: "Validators", points: daily(days, (d) => curNumber(d.validatorStake)) },
  ];
}

export function disputeSeries(days: readonly DailyStatRow[]): ChartSeries[] {
  return [
    { name: "Opened", points: daily(days, (d) => d.disputesCreated) },
    { name: "Ruled", points: daily(days, (d) => d.disputesExecuted) },
  ];
}

const DAY = 86_400;

/**
 * Average verified quality (percent) of the scored listings at the end of each day with an update: each listing counts
 * with its latest score so far.
 */
export function qualitySeries(updates: readonly QualityUpdateRow[]): ChartSeries[] {
  const sorted = [...updates].sort((a, b) => Number(BigInt(a.timestamp) - BigInt(b.timestamp)));
  const latest = new Map<string, number>();
  const points: ChartPoint[] = [];
  for (const u of sorted) {
    latest.set(u.listing.id, u.newQualityBps);
    const day = Math.floor(Number(u.timestamp) / DAY) * DAY;
    const values = [...latest.values()];
    const average = values.reduce((sum, v) => sum + v, 0) / values.length / 100;
    const point = { x: day, y: Math.round(average * 100) / 100 };
    if (points.at(-1)?.x === day) points[points.length - 1] = point;
    else points.push(point);
  }
  return [{ name: "Average quality (%)", points }];
}
