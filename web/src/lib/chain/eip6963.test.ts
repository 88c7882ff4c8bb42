import { describe, expect, it } from "vitest";
import { DEV_CONFIG } from "../config";
import { FakeProvider } from "../../test/context";
import { discoverWallets, safeIcon, type Eip6963ProviderDetail } from "./eip6963";
import { Wallet } from "./wallet.svelte";

const ICON = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>";

/** A wallet extension as EIP-6963 describes it: announces itself on load and whenever the page asks. */
function installWallet(name: string, uuid: string, provider: FakeProvider): () => void {
  const announce = (): void => {
    const detail: Eip6963ProviderDetail = {
      info: { uuid, name, icon: ICON, rdns: `test.${name.toLowerCase()}` },
      provider,
    };
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze(detail) }));
  };
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
  return () => window.removeEventListener("eip6963:requestProvider", announce);
}

describe("EIP-6963 wallet discovery", () => {
  it("finds every announced wallet once, and the app offers each by name", async () => {
    const a = new FakeProvider();
    const b = new FakeProvider();
    const wallet = new Wallet(DEV_CONFIG, a, { memory: undefined });
    const removeA = installWallet("Alpha", "uuid-a", a); // announced before the app listens: found through the request
    const stop = discoverWallets(window, ({ info, provider }) =>
      wallet.addOption({ id: `eip6963:${info.rdns}`, kind: "eip6963", name: info.name, provider }),
    );
    const removeB = installWallet("Beta", "uuid-b", b); // loads later
    window.dispatchEvent(new Event("eip6963:requestProvider")); // asked again: no duplicates
    stop();
    removeA();
    removeB();
    // Alpha is also window.ethereum: one entry, by its announced name.
    expect(wallet.options.map((o) => o.name)).toEqual(["Alpha", "Beta"]);
    await wallet.connect(wallet.options[1]);
    expect(wallet.current?.provider).toBe(b);
    expect(b.calls.map((c) => c.method)).toContain("eth_requestAccounts");
    expect(a.calls).toHaveLength(0);
  });

  it("ignores malformed announcements and non-data icons", () => {
    const found: string[] = [];
    const stop = discoverWallets(window, ({ info }) => found.push(info.name));
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: { info: { name: "x" } } }));
    stop();
    expect(found).toEqual([]);
    expect(safeIcon("https://evil.example/icon.svg")).toBeUndefined();
    expect(safeIcon(ICON)).toBe(ICON);
  });
});
