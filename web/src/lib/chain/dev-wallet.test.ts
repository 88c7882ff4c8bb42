import { describe, expect, it } from "vitest";
import { DEV_CONFIG } from "../config";
import {
  DevWalletProvider,
  DevWalletRefusedError,
  HARDHAT_TEST_ACCOUNTS,
  devAccountLabel,
  devWalletFor,
  type RpcRequest,
} from "./dev-wallet";
import { Wallet } from "./wallet.svelte";

/** A node double: answers eth_chainId with `chainId` and records every request. */
function fakeNode(chainId: number): { rpc: RpcRequest; calls: { method: string; params: unknown[] }[] } {
  const calls: { method: string; params: unknown[] }[] = [];
  return {
    calls,
    rpc: async (method, params) => {
      calls.push({ method, params });
      if (method === "eth_chainId") return `0x${chainId.toString(16)}`;
      if (method === "eth_sendTransaction") return `0x${"12".repeat(32)}`;
      if (method === "eth_signTypedData_v4" || method === "personal_sign") return `0x${"34".repeat(65)}`;
      return null;
    },
  };
}

const memory = () => {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
};

describe("the dev wallet", () => {
  it("cannot exist on any chain id but the local development chain's", () => {
    for (const chainId of [1, 10, 137, 8453, 42161, 11155111, 1337, 31338]) {
      expect(devWalletFor({ ...DEV_CONFIG, chainId })).toBeUndefined();
      expect(() => new DevWalletProvider({ ...DEV_CONFIG, chainId }, { rpc: fakeNode(chainId).rpc })).toThrow(
        DevWalletRefusedError,
      );
    }
    expect(devWalletFor({ ...DEV_CONFIG, chainId: 31337 }, { rpc: fakeNode(31337).rpc })).toBeInstanceOf(
      DevWalletProvider,
    );
  });

  it("signs and sends nothing when the node is another chain than the config says (a config lying about 31337)", async () => {
    const node = fakeNode(1);
    const dev = new DevWalletProvider(DEV_CONFIG, { rpc: node.rpc });
    const to = HARDHAT_TEST_ACCOUNTS[5];
    for (const [method, params] of [
      ["eth_sendTransaction", [{ to, data: "0x" }]],
      ["eth_signTypedData_v4", [HARDHAT_TEST_ACCOUNTS[0], "{}"]],
      ["personal_sign", ["0x68656c6c6f", HARDHAT_TEST_ACCOUNTS[0]]],
      ["eth_requestAccounts", []],
    ] as const) {
      await expect(dev.request({ method, params: [...params] })).rejects.toThrow(/not a local development chain/);
    }
    expect(node.calls.map((c) => c.method)).toEqual(["eth_chainId", "eth_chainId", "eth_chainId", "eth_chainId"]);
    await expect(
      dev.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x1" }] }),
    ).rejects.toBeInstanceOf(DevWalletRefusedError);
    await expect(dev.request({ method: "wallet_addEthereumChain", params: [{ chainId: "0x1" }] })).rejects.toThrow();
  });

  it("signs only as the chosen test account, whatever `from` the page asks for", async () => {
    const node = fakeNode(31337);
    const dev = new DevWalletProvider(DEV_CONFIG, { rpc: node.rpc, account: HARDHAT_TEST_ACCOUNTS[3] });
    expect(await dev.request({ method: "eth_requestAccounts" })).toEqual([HARDHAT_TEST_ACCOUNTS[3]]);
    await dev.request({
      method: "eth_sendTransaction",
      params: [{ from: HARDHAT_TEST_ACCOUNTS[0], to: HARDHAT_TEST_ACCOUNTS[5], data: "0x" }],
    });
    await dev.request({ method: "eth_signTypedData_v4", params: [HARDHAT_TEST_ACCOUNTS[0], "{}"] });
    await dev.request({ method: "personal_sign", params: ["0x68", HARDHAT_TEST_ACCOUNTS[0]] });
    const sent = node.calls.filter((c) => c.method !== "eth_chainId");
    expect((sent[0]!.params[0] as { from: string }).from).toBe(HARDHAT_TEST_ACCOUNTS[3]);
    expect(sent[1]!.params[0]).toBe(HARDHAT_TEST_ACCOUNTS[3]);
    expect(sent[2]!.params[1]).toBe(HARDHAT_TEST_ACCOUNTS[3]);
  });

  it("switches test accounts like any wallet (accountsChanged) and names them with their demo roles", async () => {
    const dev = devWalletFor({ ...DEV_CONFIG, devAccountRoles: { 10: "juror" } }, { rpc: fakeNode(31337).rpc })!;
    const wallet = new Wallet(DEV_CONFIG, undefined, { dev, memory: memory() });
    await wallet.connect();
    expect(wallet.isDev).toBe(true);
    expect(wallet.account).toBe(HARDHAT_TEST_ACCOUNTS[0]);
    dev.selectAccount(HARDHAT_TEST_ACCOUNTS[10]!);
    expect(wallet.account).toBe(HARDHAT_TEST_ACCOUNTS[10]);
    expect(devAccountLabel(dev.accounts[10]!)).toBe("Test account #10 · juror");
    expect(() => dev.selectAccount("0x000000000000000000000000000000000000dEaD")).toThrow(/not one of/);
  });
});
