// Every event in the ABI of an indexed contract is either handled by its data source in subgraph.template.yaml or
// listed below as deliberately left out, with the reason: a contract change that adds an event fails here until the
// subgraph indexes it (or someone decides, in writing, that it need not). Reads the template and Hardhat's artifacts
// directly, so it needs no `graph build`.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { INDEXED_CONTRACTS, SUBGRAPH_DIR, sourceOf } from "../scripts/manifest.js";

interface AbiParam {
  type: string;
  indexed?: boolean;
  components?: AbiParam[];
}
interface AbiEvent {
  type: string;
  name: string;
  inputs: AbiParam[];
}

/** Events left out of every data source on purpose. */
const NOT_INDEXED_ANYWHERE: Record<string, string> = {
  "Initialized(uint64)": "proxy initialisation: the data source's start block already marks the deployment",
  "EIP712DomainChanged()": "ERC-5267 notice; the domain of these contracts never changes after deployment",
};

/** Events left out of one data source on purpose, each with why. */
const NOT_INDEXED: Record<string, Record<string, string>> = {
  CuriaToken: {
    "Approval(address,address,uint256)": "allowances are not shown; nothing in the schema depends on them",
    "TokensMinted(address,uint256)": "the mint's Transfer from the zero address already updates supply and balances",
  },
  CuriaTimelock: {
    "CallSalt(bytes32,bytes32)": "the salt only recomputes an operation id the operation already carries",
    "RoleAdminChanged(bytes32,bytes32,bytes32)":
      "role admins are fixed at deployment (the timelock administers itself)",
  },
  ListingRegistry: {
    "EarningsWithdrawn(address,address,uint256)":
      "a provider's withdrawal of its balance, across listings; not yet indexed (no per-listing figure moves)",
  },
  ListingChallenges: {
    "AppealSideFunded(uint256,uint256,uint8)":
      "the AppealContribution just before it carries paid == required, which is what the schema keeps",
  },
  Court: {
    "DrawSkipped(uint256,uint256,address,uint256,uint256)":
      "a draw attempt that picked an ineligible juror; the seat is redrawn and only the final draw is shown",
  },
  JurorPool: {
    "ManagerPaid(address,uint256)": "the Court's own events (rewards, refunds, sweeps) say who was paid and why",
    "SeatsLocked(uint256[])": "only the ValidationManager's committee draw emits it; the Court locks seat by seat",
    "StakesReleased(address[],uint256[],uint256[])":
      "only the ValidationManager's batch release emits it; the Court releases juror by juror",
    "PendingDrawsChanged(uint256)": "a lock on the sortition tree while draws are pending; internal state",
    "WeightSynced(address,uint256)": "the draw weight follows from the stake the pool's other events report",
  },
  ValidatorPool: {
    "ManagerPaid(address,uint256)": "the ValidationManager's own events (rewards claimed) say who was paid and why",
    "PendingDrawsChanged(uint256)": "a lock on the sortition tree while draws are pending; internal state",
    "WeightSynced(address,uint256)": "the draw weight follows from the stake the pool's other events report",
  },
};

/** The canonical signature (Name(type,…), tuples expanded) The Graph matches an event handler by, without `indexed`. */
function typeOf(param: AbiParam): string {
  if (!param.type.startsWith("tuple")) return param.type;
  return `(${(param.components ?? []).map(typeOf).join(",")})${param.type.slice("tuple".length)}`;
}
export function signatureOf(event: AbiEvent): string {
  return `${event.name}(${event.inputs.map(typeOf).join(",")})`;
}

/** A manifest handler's event with its `indexed ` markers dropped, comparable with signatureOf. */
function handlerSignature(event: string): string {
  return event.replace(/indexed /g, "");
}

describe("subgraph event coverage", function () {
  const template = parseYaml(readFileSync(join(SUBGRAPH_DIR, "subgraph.template.yaml"), "utf8")) as {
    dataSources: { name: string; mapping: { eventHandlers?: { event: string }[] } }[];
  };

  it("lists exemptions only for indexed data sources", function () {
    const unknown = Object.keys(NOT_INDEXED).filter((n) => !(INDEXED_CONTRACTS as readonly string[]).includes(n));
    expect(unknown).to.deep.equal([]);
  });

  for (const name of INDEXED_CONTRACTS) {
    it(`${name}: every event of its ABI has a handler or a stated reason`, function () {
      const source = template.dataSources.find((d) => d.name === name);
      expect(source, `no data source ${name} in subgraph.template.yaml`).to.not.equal(undefined);
      const handled = new Set((source!.mapping.eventHandlers ?? []).map((h) => handlerSignature(h.event)));
      const { contract, folder } = sourceOf(name);
      const artifact = JSON.parse(
        readFileSync(
          join(SUBGRAPH_DIR, "..", "artifacts", "contracts", folder, `${contract}.sol`, `${contract}.json`),
          "utf8",
        ),
      ) as { abi: AbiEvent[] };
      const events = artifact.abi.filter((e) => e.type === "event").map(signatureOf);
      const skipped = NOT_INDEXED[name] ?? {};
      const missing = events.filter(
        (e) => !handled.has(e) && skipped[e] === undefined && NOT_INDEXED_ANYWHERE[e] === undefined,
      );
      expect(missing, `${name}: events with no handler in subgraph.template.yaml`).to.deep.equal([]);
      // A handler for an event the ABI lacks would fail graph build; a stale exemption would hide nothing, so refuse it.
      const stale = Object.keys(skipped).filter((e) => !events.includes(e) || handled.has(e));
      expect(stale, `${name}: NOT_INDEXED entries that are no longer needed`).to.deep.equal([]);
    });
  }
});
