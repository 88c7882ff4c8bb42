import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { FakeProvider, testContext } from "../../../test/context";
import NetworkBanner from "./network-banner.svelte";

describe("<NetworkBanner>", () => {
  it("prompts a wallet on another chain to switch, and disappears once it has", async () => {
    const provider = new FakeProvider();
    provider.chainId = 1;
    const { context, wallet } = testContext({ provider });
    await wallet.connect();
    render(NetworkBanner, { context });
    expect(screen.getByRole("alert")).toHaveTextContent(
      "Your wallet is on chain 1; Curia runs on Curia local (Hardhat) (chain 31337).",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Switch network" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect(provider.calls.filter((c) => c.method === "wallet_switchEthereumChain")).toHaveLength(1);
  });

  it("adds the chain to a wallet that does not know it (error 4902)", async () => {
    const provider = new FakeProvider();
    provider.chainId = 1;
    const request = provider.request.bind(provider);
    provider.request = async (args) => {
      if (args.method === "wallet_switchEthereumChain") {
        provider.calls.push(args);
        throw Object.assign(new Error("Unrecognized chain"), { code: 4902 });
      }
      if (args.method === "wallet_addEthereumChain") {
        provider.calls.push(args);
        provider.chainId = 31337;
        return null;
      }
      return request(args);
    };
    const { context, wallet } = testContext({ provider });
    await wallet.connect();
    render(NetworkBanner, { context });
    await fireEvent.click(screen.getByRole("button", { name: "Switch network" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    const added = provider.calls.find((c) => c.method === "wallet_addEthereumChain")?.params as [
      { chainId: string; rpcUrls: string[] },
    ];
    expect(added[0].chainId).toBe("0x7a69");
    expect(added[0].rpcUrls).toEqual(["http://127.0.0.1:8545"]);
  });

  it("says nothing while the wallet is on the app's chain or not connected", async () => {
    const { context, wallet } = testContext({});
    render(NetworkBanner, { context });
    expect(screen.queryByRole("alert")).toBeNull();
    await wallet.connect();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
