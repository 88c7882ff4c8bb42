// `npm run web-config`: the web app's config.json for a public chain's deployment record.
import { expect } from "chai";
import type { DeploymentRecord } from "@curia/protocol";
import { webConfigFor } from "../../scripts/web-config.js";

const record: DeploymentRecord = {
  network: "sepolia",
  chainId: 11155111,
  deployer: "0x0000000000000000000000000000000000000001",
  updatedAt: "",
  contracts: {
    CuriaToken: { proxy: "0x00000000000000000000000000000000000000a1", implementation: "0x01", startBlock: 5 },
    CuriaGovernor: { proxy: "0x00000000000000000000000000000000000000a2", implementation: "0x02", startBlock: 6 },
  },
  wired: {},
};

describe("web-config", function () {
  it("points the app at the record's proxies, its chain and the given RPC and GraphQL URLs", function () {
    const urls = { rpcUrl: "https://rpc.example/sepolia", graphqlUrl: "http://10.0.0.5:8000/subgraphs/name/curia" };
    expect(webConfigFor(record, urls)).to.deep.equal({
      ...urls,
      chainId: 11155111,
      chainName: "Curia on Sepolia",
      explorerUrl: "https://sepolia.etherscan.io",
      contracts: {
        CuriaToken: "0x00000000000000000000000000000000000000a1",
        CuriaGovernor: "0x00000000000000000000000000000000000000a2",
      },
    });
    // A chain Curia does not list: no explorer unless given, a name from its id.
    const other = webConfigFor({ ...record, chainId: 999999 }, urls);
    expect(other.chainName).to.equal("Curia (chain 999999)");
    expect(other).to.not.have.property("explorerUrl");
    expect(() => webConfigFor(record, { ...urls, rpcUrl: "sepolia" })).to.throw(/--rpc-url sepolia is not an http/);
  });
});
