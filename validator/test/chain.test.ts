// The local node the tests share must not close idle keep-alive connections itself: a test client whose event loop is
// busy when the server's 5 s (+1 s) timer fires would write its next request on a closed connection and fail with
// `SocketError: other side closed` (seen once in CI). See scripts/lib/keep-idle-connections.mjs.
import { expect } from "chai";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { sharedHardhatNode } from "./helpers/chain.js";

function chainId(url: string, agent: http.Agent): Promise<{ reused: boolean; keepAlive?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json" } });
    request.on("error", reject);
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () =>
        resolve({
          reused: request.reusedSocket,
          keepAlive: response.headers["keep-alive"] as string | undefined,
          body,
        }),
      );
    });
    request.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }));
  });
}

describe("the tests' local node", function () {
  it("keeps an idle keep-alive connection open past the 6 s at which a Node server closes it", async function () {
    this.timeout(120_000);
    const chain = await sharedHardhatNode();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await chainId(chain.url, agent);
      expect(first.body).to.include('"result"');
      expect(first.keepAlive, "no idle timeout advertised").to.equal(undefined);
      await sleep(7_000);
      const second = await chainId(chain.url, agent);
      expect(second.body).to.include('"result"');
      expect(second.reused, "the same connection, still open").to.equal(true);
    } finally {
      agent.destroy();
    }
  });
});
