// The GraphQL client shared through Svelte context.
import { getContext, setContext } from "svelte";
import type { GraphQLClient } from "./client";

const KEY = Symbol("graphql");
export const GRAPHQL_CONTEXT_KEY = KEY;

export function setGraphQL(client: GraphQLClient): GraphQLClient {
  return setContext(KEY, client);
}

export function getGraphQL(): GraphQLClient {
  const client = getContext<GraphQLClient | undefined>(KEY);
  if (!client) throw new Error("no GraphQL client in context: render inside <App> or pass one in the test's context");
  return client;
}

export {
  createGraphQLClient,
  fetchAllPages,
  GraphQLRequestError,
  waitForIndexedBlock,
  type GraphQLClient,
} from "./client";
