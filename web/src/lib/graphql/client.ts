// A small client for The Graph's query API (the local indexer or graph-node): POST { query, variables }.
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { message: string }[] = [],
  ) {
    super(message);
    this.name = "GraphQLRequestError";
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface GraphQLClient {
  readonly url: string;
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export function createGraphQLClient(
  url: string,
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): GraphQLClient {
  return {
    url,
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new GraphQLRequestError(`The indexer at ${url} cannot be reached (${(error as Error).message}).`);
      }
      let body: { data?: T; errors?: { message: string }[] };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new GraphQLRequestError(`The indexer answered HTTP ${response.status} without JSON.`);
      }
      if (body.errors && body.errors.length > 0) {
        throw new GraphQLRequestError(body.errors.map((e) => e.message).join("; "), body.errors);
      }
      if (!response.ok || body.data === undefined) {
        throw new GraphQLRequestError(`The indexer answered HTTP ${response.status}.`);
      }
      return body.data;
    },
  };
}

/** The Graph caps `first` at 1000: pages through a collection by `id_gt` until it is exhausted or `limit` is reached. */
export async function fetchAllPages<T extends { id: string }>(
  fetchPage: (afterId: string, first: number) => Promise<T[]>,
  limit = 10_000,
): Promise<T[]> {
  const all: T[] = [];
  let after = "";
  while (all.length < limit) {
    const first = Math.min(1000, limit - all.length);
    const page = await fetchPage(after, first);
    all.push(...page);
    if (page.length < first) break;
    after = page[page.length - 1]!.id;
  }
  return all;
}

/** Waits until the indexer has processed `blockNumber` (after a transaction, before re-reading what it changed). */
export async function waitForIndexedBlock(
  gql: GraphQLClient,
  blockNumber: bigint,
  timeoutMs = 30_000,
  intervalMs = 300,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { _meta } = await gql.request<{ _meta: { block: { number: number } } | null }>(
        "{ _meta { block { number } } }",
      );
      if (_meta && BigInt(_meta.block.number) >= blockNumber) return true;
    } catch {
      // The indexer may be restarting: keep polling until the deadline.
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
