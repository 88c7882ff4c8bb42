// EIP-6963: every injected wallet announces itself (name, icon, provider) instead of fighting over window.ethereum.
// The app asks once at start-up and keeps listening: a wallet that loads later announces itself too.
import type { Eip1193Provider } from "./wallet.svelte";

export interface Eip6963ProviderInfo {
  uuid: string;
  name: string;
  /** A data: URI (the standard requires one). */
  icon: string;
  /** Reverse DNS id, e.g. `io.metamask`. */
  rdns: string;
}

export interface Eip6963ProviderDetail {
  info: Eip6963ProviderInfo;
  provider: Eip1193Provider;
}

function isDetail(value: unknown): value is Eip6963ProviderDetail {
  const detail = value as Partial<Eip6963ProviderDetail> | null;
  return (
    typeof detail === "object" &&
    detail !== null &&
    typeof detail.info?.uuid === "string" &&
    typeof detail.info.name === "string" &&
    typeof detail.provider?.request === "function"
  );
}

/**
 * Listens for announcements and requests them; calls `onAnnounce` once per wallet (by uuid). Returns a function that
 * stops listening.
 */
export function discoverWallets(target: Window, onAnnounce: (detail: Eip6963ProviderDetail) => void): () => void {
  const seen = new Set<string>();
  const listener = (event: Event): void => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (!isDetail(detail) || seen.has(detail.info.uuid)) return;
    seen.add(detail.info.uuid);
    onAnnounce(detail);
  };
  target.addEventListener("eip6963:announceProvider", listener);
  target.dispatchEvent(new Event("eip6963:requestProvider"));
  return () => target.removeEventListener("eip6963:announceProvider", listener);
}

/** Only data: icons are shown (an announced icon must be one; anything else could load from the network). */
export function safeIcon(icon: string): string | undefined {
  return /^data:image\/(svg\+xml|png|jpeg|webp|gif)[;,]/.test(icon) ? icon : undefined;
}
