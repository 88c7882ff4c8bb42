// `npm run web-config -- --deployment <name|file> --rpc-url <url> --graphql-url <url> [--out <file>]
//  [--chain-name <text>] [--explorer-url <url>]`: the web app's config.json (web/src/lib/config.ts) for a deployment
// record, so one build of web/dist serves any chain. The chain's name and explorer come from protocol/src/networks.ts
// unless given. `--deployment sepolia` finds deployments/11155111.json. Prints to stdout without --out.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { publicChain, type DeploymentRecord } from "@curia/protocol";

export interface WebConfigOptions {
  rpcUrl: string;
  graphqlUrl: string;
  chainName?: string;
  explorerUrl?: string;
}

/** The web app's config for `record`: its proxies' addresses, its chain, and where to read the chain and the index. */
export function webConfigFor(record: DeploymentRecord, options: WebConfigOptions): Record<string, unknown> {
  for (const [flag, url] of [
    ["--rpc-url", options.rpcUrl],
    ["--graphql-url", options.graphqlUrl],
    ["--explorer-url", options.explorerUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw new Error(`${flag} ${url} is not an http(s) URL`);
  }
  const chain = publicChain(record.chainId);
  const explorerUrl = options.explorerUrl ?? chain?.explorerUrl;
  return {
    graphqlUrl: options.graphqlUrl,
    rpcUrl: options.rpcUrl,
    chainId: record.chainId,
    chainName:
      options.chainName ?? (chain === undefined ? `Curia (chain ${record.chainId})` : `Curia on ${chain.name}`),
    ...(explorerUrl === undefined ? {} : { explorerUrl }),
    contracts: Object.fromEntries(Object.entries(record.contracts).map(([name, entry]) => [name, entry.proxy])),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      deployment: { type: "string" },
      "rpc-url": { type: "string" },
      "graphql-url": { type: "string" },
      "chain-name": { type: "string" },
      "explorer-url": { type: "string" },
      out: { type: "string" },
    },
  });
  for (const required of ["deployment", "rpc-url", "graphql-url"] as const) {
    if (values[required] === undefined) throw new Error(`--${required} is required`);
  }
  const { loadDeployment } = await import("@curia/protocol/ethers");
  const { record } = loadDeployment(values.deployment!);
  const config = webConfigFor(record, {
    rpcUrl: values["rpc-url"]!,
    graphqlUrl: values["graphql-url"]!,
    ...(values["chain-name"] === undefined ? {} : { chainName: values["chain-name"] }),
    ...(values["explorer-url"] === undefined ? {} : { explorerUrl: values["explorer-url"] }),
  });
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else {
    writeFileSync(values.out, text);
    console.error(`web-config: wrote ${values.out}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    console.error(`web-config: ${(error as Error).message}`);
    process.exit(1);
  }
}
