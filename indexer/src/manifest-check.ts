// What of a subgraph manifest the local indexer can run. graph-node runs block handlers, call handlers, templates,
// `receipt: true` handlers, topic filters, file data sources and more; this indexer runs contract event handlers only.
// Anything else in the manifest is refused when the subgraph loads, each feature named with where it is, rather than
// skipped: a skipped handler indexes to entities that differ from graph-node's without a word.
import { Kind, parse, type ConstDirectiveNode } from "graphql";

/** The manifest as YAML gives it: unchecked. */
export type RawManifest = Record<string, unknown>;

/**
 * specVersions whose manifests this indexer reads (graph-cli 0.98 writes up to 1.3.0, which adds subgraph data
 * sources: a newer version may mean something this check does not know, so it is refused rather than guessed at).
 */
const SPEC_VERSIONS = { min: [0, 0, 2], max: [1, 2, 0] } as const;
/** Mapping apiVersions whose AssemblyScript objects the host writes (graph-ts 0.31+: ethereum.Event with `receipt`). */
const API_VERSIONS = new Set(["0.0.7", "0.0.8", "0.0.9"]);
const CONTRACT_KINDS = new Set(["ethereum", "ethereum/contract"]);

/** Keys of an event handler that the indexer runs; `event` and `handler` are required. */
const EVENT_HANDLER_KEYS = new Set(["event", "handler"]);
/** Keys of a data source, its source and its mapping that the indexer reads (or that are only documentation). */
const DATA_SOURCE_KEYS = new Set(["kind", "name", "network", "source", "mapping"]);
const SOURCE_KEYS = new Set(["address", "abi", "startBlock"]);
const MAPPING_KEYS = new Set(["kind", "apiVersion", "language", "file", "entities", "abis", "eventHandlers"]);
/** Top-level keys: `indexerHints` only tunes pruning of history, which the indexer keeps whole (a superset). */
const TOP_LEVEL_KEYS = new Set(["specVersion", "description", "repository", "schema", "dataSources", "indexerHints"]);

/** Why a mapping key is refused, for the message. */
const MAPPING_FEATURES: Record<string, string> = {
  blockHandlers: "block handlers are not run",
  callHandlers: "call handlers are not run",
};
const EVENT_HANDLER_FEATURES: Record<string, string> = {
  receipt: "transaction receipts are not fetched (`receipt: true`)",
  topic1: "topic filters are not applied",
  topic2: "topic filters are not applied",
  topic3: "topic filters are not applied",
  calls: "declared eth_calls are not run",
};

export class UnsupportedManifestError extends Error {
  constructor(
    manifestPath: string,
    readonly problems: string[],
  ) {
    super(
      `${manifestPath} uses what the local indexer does not implement (graph-node does; refusing rather than ` +
        `indexing something else):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "UnsupportedManifestError";
  }
}

function semver(text: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const describe = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));
const isSet = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== false && !(Array.isArray(value) && value.length === 0);

/**
 * The manifest's features the indexer does not run, one line each, naming where it is: `dataSources[Name]`,
 * `templates[Name]`, the handler and its event. `deployedNames`: data sources the deployment file gives an address.
 */
export function manifestProblems(manifest: RawManifest, deployedNames: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const specVersion = String(manifest.specVersion ?? "");
  const spec = semver(specVersion);
  if (
    spec === undefined ||
    compareVersions(spec, SPEC_VERSIONS.min) < 0 ||
    compareVersions(spec, SPEC_VERSIONS.max) > 0
  ) {
    problems.push(
      `specVersion ${specVersion || "(missing)"}: supported are ${SPEC_VERSIONS.min.join(".")} to ${SPEC_VERSIONS.max.join(".")}`,
    );
  }
  for (const key of Object.keys(manifest)) {
    if (TOP_LEVEL_KEYS.has(key)) continue;
    const value = manifest[key];
    if (!isSet(value)) continue;
    if (key === "templates") {
      const names = asList(value).map((t) => describe(asRecord(t).name ?? "(unnamed)"));
      problems.push(`templates [${names.join(", ")}]: templates (dynamic data sources) are not instantiated`);
    } else if (key === "features") {
      problems.push(`features [${asList(value).map(describe).join(", ")}]: no manifest feature is implemented`);
    } else if (key === "graft") {
      problems.push(`graft (base ${describe(asRecord(value).base)}): grafting onto another deployment`);
    } else {
      problems.push(`${key}: unknown top-level manifest key`);
    }
  }
  const networks = new Map<string, string[]>();
  for (const raw of asList(manifest.dataSources)) {
    const ds = asRecord(raw);
    const name = describe(ds.name ?? "(unnamed)");
    const where = `dataSources[${name}]`;
    const kind = describe(ds.kind ?? "(missing)");
    if (!CONTRACT_KINDS.has(kind)) {
      const what = kind.startsWith("file/") ? "file data sources are not run" : "only ethereum contracts are indexed";
      problems.push(`${where}: kind ${kind}: ${what}`);
      continue; // the rest of its layout is another kind's
    }
    if (typeof ds.network === "string") networks.set(ds.network, [...(networks.get(ds.network) ?? []), name]);
    for (const key of Object.keys(ds)) {
      if (DATA_SOURCE_KEYS.has(key) || !isSet(ds[key])) continue;
      problems.push(
        key === "context" ? `${where}.context: data source contexts are not passed` : `${where}.${key}: unknown key`,
      );
    }
    const source = asRecord(ds.source);
    for (const key of Object.keys(source)) {
      if (SOURCE_KEYS.has(key) || !isSet(source[key])) continue;
      problems.push(
        key === "endBlock"
          ? `${where}.source.endBlock (${describe(source.endBlock)}): end blocks are not applied`
          : `${where}.source.${key}: unknown key`,
      );
    }
    if (source.address === undefined && !deployedNames.has(name)) {
      problems.push(
        `${where}.source: no address, and the deployment file names none: the events of every contract are not indexed`,
      );
    }
    const mapping = asRecord(ds.mapping);
    if (mapping.kind !== "ethereum/events") {
      problems.push(`${where}.mapping.kind ${describe(mapping.kind ?? "(missing)")}: only ethereum/events is run`);
    }
    if (mapping.language !== "wasm/assemblyscript") {
      problems.push(
        `${where}.mapping.language ${describe(mapping.language ?? "(missing)")}: only wasm/assemblyscript is run`,
      );
    }
    const apiVersion = describe(mapping.apiVersion ?? "(missing)");
    if (!API_VERSIONS.has(apiVersion)) {
      problems.push(`${where}.mapping.apiVersion ${apiVersion}: supported are ${[...API_VERSIONS].join(", ")}`);
    }
    for (const key of Object.keys(mapping)) {
      if (MAPPING_KEYS.has(key) || !isSet(mapping[key])) continue;
      const feature = MAPPING_FEATURES[key];
      if (feature === undefined) {
        problems.push(`${where}.mapping.${key}: unknown key`);
        continue;
      }
      const handlers = asList(mapping[key]).map((h) => {
        const handler = asRecord(h);
        const detail = handler.function ?? asRecord(handler.filter).kind;
        return `${describe(handler.handler ?? "(unnamed)")}${detail === undefined ? "" : ` for ${describe(detail)}`}`;
      });
      problems.push(`${where}.mapping.${key} [${handlers.join(", ")}]: ${feature}`);
    }
    const handlerOf = new Map<string, string>();
    for (const raw of asList(mapping.eventHandlers)) {
      const handler = asRecord(raw);
      const label = `${where} event handler ${describe(handler.handler ?? "(unnamed)")} (${describe(handler.event ?? "no event")})`;
      for (const key of Object.keys(handler)) {
        if (EVENT_HANDLER_KEYS.has(key) || !isSet(handler[key])) continue;
        problems.push(`${label}: ${key}: ${EVENT_HANDLER_FEATURES[key] ?? "unknown key"}`);
      }
      // graph-node runs every handler of an event, in order; the indexer keeps one handler per event.
      const event = String(handler.event ?? "")
        .replace(/indexed /g, "")
        .replace(/\s+/g, "");
      const earlier = handlerOf.get(event);
      if (earlier !== undefined) {
        problems.push(`${label}: a second handler for the event (after ${earlier}): one handler per event is run`);
      } else handlerOf.set(event, describe(handler.handler));
    }
  }
  if (networks.size > 1) {
    const list = [...networks].map(([network, names]) => `${network} (${names.join(", ")})`).join("; ");
    problems.push(`dataSources on several networks: ${list}: one chain is indexed`);
  }
  return problems;
}

/** Schema features the query API does not serve: timeseries, aggregations, fulltext search, interfaces. */
export function schemaProblems(schemaSource: string): string[] {
  const problems: string[] = [];
  const directive = (directives: readonly ConstDirectiveNode[] | undefined, name: string) =>
    directives?.find((d) => d.name.value === name);
  for (const definition of parse(schemaSource).definitions) {
    if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      problems.push(`schema: interface ${definition.name.value}: interfaces are not served`);
    } else if (definition.kind === Kind.UNION_TYPE_DEFINITION) {
      problems.push(`schema: union ${definition.name.value}: unions are not served`);
    } else if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const name = definition.name.value;
      const entity = directive(definition.directives, "entity");
      const timeseries = entity?.arguments?.find((a) => a.name.value === "timeseries");
      if (timeseries?.value.kind === Kind.BOOLEAN && timeseries.value.value) {
        problems.push(`schema: ${name} @entity(timeseries: true): timeseries are not stored`);
      }
      if (directive(definition.directives, "aggregation") !== undefined) {
        problems.push(`schema: ${name} @aggregation: aggregations are not computed`);
      }
      for (const fulltext of definition.directives?.filter((d) => d.name.value === "fulltext") ?? []) {
        const nameArgument = fulltext.arguments?.find((a) => a.name.value === "name")?.value;
        const label = nameArgument?.kind === Kind.STRING ? nameArgument.value : "(unnamed)";
        problems.push(`schema: ${name} @fulltext(name: "${label}"): fulltext search is not served`);
      }
    }
  }
  return problems;
}
