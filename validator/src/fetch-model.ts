// Getting a listing's model (and metadata): file://, plain paths, http(s)://, ipfs:// through a gateway, data:.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { modelHashOf } from "./model/hash.js";
import { isTransientRpcError, withRetry } from "./retry.js";

export interface FetchOptions {
  /** Base URL of an IPFS HTTP gateway; ipfs://<cid>/<path> becomes <gateway>/ipfs/<cid>/<path>. */
  ipfsGateway: string;
  timeoutMs?: number;
  attempts?: number;
}

export { DEFAULT_IPFS_GATEWAY } from "./defaults.js";

/** The listing cannot be verified through any fault of the validator: its model is missing or not the one it lists. */
export class ListingUnverifiableError extends Error {}

/**
 * A listing's metadata could not be fetched (a gateway or file server down?): its task is unknown for now. Not the
 * listing's fault and not a task to guess (judging a VAD listing as MNIST refuses every answer), so whatever needed
 * it waits: a round retries within its commit window, an audit answers 503.
 */
export class ListingMetadataUnavailableError extends Error {
  constructor(
    readonly listingId: bigint,
    readonly uri: string,
    reason: string,
  ) {
    super(`listing ${listingId}: cannot read its metadata at ${shortUri(uri)} (${reason}), so its task is unknown`);
  }
}

/** A URI for a message: data: URIs can be tens of kilobytes. */
export function shortUri(uri: string): string {
  return uri.length <= 120 ? uri : `${uri.slice(0, 117)}…`;
}

/** The model's content hash does not match the listing's modelHash: the model is refused. */
export class ModelHashMismatchError extends ListingUnverifiableError {
  constructor(
    readonly uri: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `model refused: ${uri} has content hash ${actual} (SHA-256 of the file) but the listing's modelHash is ${expected}`,
    );
  }
}

/** The http(s) URL (or local path) a URI is read from. */
export function resolveUri(uri: string, options: Pick<FetchOptions, "ipfsGateway">): string {
  if (uri.startsWith("ipfs://")) {
    const rest = uri.slice("ipfs://".length).replace(/^ipfs\//, "");
    if (rest.length === 0) throw new Error(`empty IPFS URI ${uri}`);
    return `${options.ipfsGateway.replace(/\/+$/, "")}/ipfs/${rest}`;
  }
  return uri;
}

export async function fetchBytes(uri: string, options: FetchOptions): Promise<Uint8Array> {
  if (uri.startsWith("data:")) {
    const comma = uri.indexOf(",");
    if (comma < 0) throw new Error(`malformed data: URI`);
    const header = uri.slice(5, comma);
    const payload = uri.slice(comma + 1);
    return header.endsWith(";base64")
      ? Buffer.from(payload, "base64")
      : Buffer.from(decodeURIComponent(payload), "utf8");
  }
  if (uri.startsWith("file://") || !/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
    const path = uri.startsWith("file://") ? fileURLToPath(uri) : uri;
    try {
      return await readFile(path);
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const url = resolveUri(uri, options);
  if (!/^https?:\/\//.test(url))
    throw new Error(`unsupported URI scheme in ${uri} (file://, http(s)://, ipfs://, data:)`);
  return withRetry(
    async () => {
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
      } catch (error) {
        throw new Error(`fetch ${url} failed: ${(error as Error).message}`);
      }
      if (!response.ok) {
        const error = new Error(`fetch ${url} answered ${response.status} ${response.statusText}`);
        if (response.status < 500) (error as Error & { permanent?: boolean }).permanent = true;
        throw error;
      }
      return new Uint8Array(await response.arrayBuffer());
    },
    {
      attempts: options.attempts ?? 4,
      retryable: (error) => !(error as { permanent?: boolean }).permanent || isTransientRpcError(error),
    },
  );
}

/** Fetches the model and checks its SHA-256 against the listing's modelHash; throws {@link ModelHashMismatchError}. */
export async function fetchVerifiedModel(
  uri: string,
  expectedHash: string,
  options: FetchOptions,
): Promise<Uint8Array> {
  const bytes = await fetchBytes(uri, options);
  const actual = modelHashOf(bytes);
  if (actual.toLowerCase() !== expectedHash.toLowerCase()) throw new ModelHashMismatchError(uri, expectedHash, actual);
  return bytes;
}

/** The model URI a listing's metadata names: the JSON's `modelURI` (or `model`) field. */
export async function modelUriFromMetadata(metadataURI: string, options: FetchOptions): Promise<string | undefined> {
  let text: string;
  try {
    text = Buffer.from(await fetchBytes(metadataURI, options)).toString("utf8");
  } catch {
    return undefined;
  }
  try {
    const metadata = JSON.parse(text) as { modelURI?: unknown; model?: unknown };
    const uri = metadata.modelURI ?? metadata.model;
    return typeof uri === "string" && uri.length > 0 ? uri : undefined;
  } catch {
    return undefined;
  }
}
