// GraphQL conformance: The Graph's query API served over HTTP from entities indexed off a real chain. Every filter
// suffix, ordering and pagination form is checked against an independent evaluation of graph-node's documented
// semantics over the same entities; @derivedFrom, _meta, limits and error cases are checked directly.
import { expect } from "chai";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { parseEther, Wallet } from "ethers";
import type { IndexerApp } from "../src/app.js";
import { QueryExecutor, queryShape } from "../src/graphql/executor.js";
import { createQueryServer } from "../src/server.js";
import { graphqlValue } from "../src/store.js";
import type { EntityTypeInfo, FieldInfo } from "../src/schema.js";
import { sharedHardhatNode, temporaryDirectory, type LocalChain } from "./helpers/chain.js";
import { deploySystem, type DeployedSystem } from "./helpers/governance.js";
import { runGovernanceScenario, type Scenario } from "./helpers/scenario.js";
import { syncedIndexer } from "./helpers/indexer.js";

type Row = Record<string, unknown>;

describe("GraphQL query API", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let dir: ReturnType<typeof temporaryDirectory>;
  let system: DeployedSystem;
  let scenario: Scenario;
  let app: IndexerApp;
  let server: Server;
  let url: string;

  async function query(
    text: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: Row; errors?: { message: string }[] }> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: text, variables }),
    });
    return (await response.json()) as { data?: Row; errors?: { message: string }[] };
  }

  async function data(text: string, variables?: Record<string, unknown>): Promise<Row> {
    const result = await query(text, variables);
    if (result.errors !== undefined) throw new Error(JSON.stringify(result.errors));
    return result.data!;
  }

  /** Current entities of a type as GraphQL would return their stored fields. */
  function reference(type: string): Row[] {
    const entity = app.store.schema.entities.get(type)!;
    const rows = app.store.dumpAll(false)[type]!;
    return rows.map((row) =>
      Object.fromEntries(entity.storedFields.map((f) => [f.name, graphqlValue(f, row[f.name])])),
    );
  }

  before(async () => {
    chain = await sharedHardhatNode();
    dir = temporaryDirectory("curia-graphql-");
    system = await deploySystem(chain.url, dir.path);
    scenario = await runGovernanceScenario(system);
    // More holders with varied balances, so that filters and orderings have something to separate.
    for (let i = 0; i < 12; i++) {
      const to = Wallet.createRandom().address;
      const amount = parseEther(String(((i * 7) % 5) + 1));
      await (await system.token.connect(system.deployer).transfer(to, amount)).wait();
    }
    app = await syncedIndexer(chain.url, system.deploymentPath, `${dir.path}/index.sqlite`);
    server = createQueryServer({ executor: new QueryExecutor(app.store) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/subgraphs/name/curia`;
  });

  after(async () => {
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
    await app?.close();
    dir?.remove();
  });

  // ------------------------------------------------------------------------------------------ reference semantics

  function compare(field: FieldInfo, a: unknown, b: unknown): number {
    if (field.category === "scalar" && ["BigInt", "Int8", "Timestamp"].includes(field.typeName)) {
      const x = BigInt(a as string);
      const y = BigInt(b as string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "boolean") return Number(a) - Number(b);
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function matches(field: FieldInfo, op: string, actual: unknown, probe: unknown): boolean {
    const norm = (v: unknown) => (field.typeName === "Bytes" && typeof v === "string" ? v.toLowerCase() : v);
    const a = norm(actual);
    const p = norm(probe);
    // SQL three-valued logic, as graph-node's Postgres queries: a NULL column matches no comparison with a value.
    if (a === null) return false;
    const s = String(a);
    const t = field.typeName === "Bytes" ? String(p).replace(/^0x/, "") : String(p);
    switch (op) {
      case "eq":
        return compare(field, a, p) === 0;
      case "not":
        return compare(field, a, p) !== 0;
      case "gt":
        return compare(field, a, p) > 0;
      case "lt":
        return compare(field, a, p) < 0;
      case "gte":
        return compare(field, a, p) >= 0;
      case "lte":
        return compare(field, a, p) <= 0;
      case "in":
        return (p as unknown[]).some((v) => compare(field, a, norm(v)) === 0);
      case "not_in":
        return !(p as unknown[]).some((v) => compare(field, a, norm(v)) === 0);
      case "contains":
        return s.includes(t);
      case "not_contains":
        return !s.includes(t);
      case "contains_nocase":
        return s.toLowerCase().includes(t.toLowerCase());
      case "not_contains_nocase":
        return !s.toLowerCase().includes(t.toLowerCase());
      case "starts_with":
        return s.startsWith(t);
      case "not_starts_with":
        return !s.startsWith(t);
      case "starts_with_nocase":
        return s.toLowerCase().startsWith(t.toLowerCase());
      case "not_starts_with_nocase":
        return !s.toLowerCase().startsWith(t.toLowerCase());
      case "ends_with":
        return s.endsWith(t);
      case "not_ends_with":
        return !s.endsWith(t);
      case "ends_with_nocase":
        return s.toLowerCase().endsWith(t.toLowerCase());
      case "not_ends_with_nocase":
        return !s.toLowerCase().endsWith(t.toLowerCase());
      default:
        throw new Error(`no reference for ${op}`);
    }
  }

  /** Orders like graph-node: by the field (NULLs last ascending, first descending), then by id the same way. */
  function referenceOrder(field: FieldInfo, rows: Row[], direction: "asc" | "desc"): string[] {
    const sign = direction === "asc" ? 1 : -1;
    return [...rows]
      .sort((x, y) => {
        const a = x[field.name];
        const b = y[field.name];
        if (a === null && b !== null) return sign;
        if (b === null && a !== null) return -sign;
        const byField = a === null ? 0 : compare(field, a, b);
        if (byField !== 0) return sign * byField;
        return sign * (String(x.id) < String(y.id) ? -1 : String(x.id) > String(y.id) ? 1 : 0);
      })
      .map((r) => String(r.id));
  }

  function pluralOf(entity: EntityTypeInfo): string {
    const api = new QueryExecutor(app.store).api;
    for (const [name, info] of api.queryFields) if (info.entity === entity && info.plural) return name;
    throw new Error(`no plural field for ${entity.name}`);
  }

  /** A probe value taken from the data: the middle value of the field, so that filters split the set. */
  function probeFor(field: FieldInfo, rows: Row[]): unknown {
    const values = rows.map((r) => r[field.name]).filter((v) => v !== null);
    const sorted = [...values].sort((a, b) => compare(field, a, b));
    return sorted[Math.floor(sorted.length / 2)] ?? null;
  }

  const FILTER_TYPES = ["Account", "Vote", "ParameterChange", "Proposal", "DelegationChange", "Delegate"];

  describe("filters match graph-node's semantics for every suffix", () => {
    for (const type of FILTER_TYPES) {
      it(`${type}: every scalar, enum and reference filter`, async () => {
        const entity = app.store.schema.entities.get(type)!;
        const rows = reference(type);
        expect(rows.length, `${type} rows`).to.be.greaterThan(1);
        const keys = new QueryExecutor(app.store).api.filterKeys.get(type)!;
        const plural = pluralOf(entity);
        let checked = 0;
        for (const [key, { field, op }] of keys) {
          if (op === "nested" || field.list || field.derivedFrom !== undefined) continue;
          const middle = probeFor(field, rows);
          if (middle === null) continue;
          let probe: unknown = middle;
          if (op === "in" || op === "not_in")
            probe = [middle, rows.find((r) => r[field.name] !== middle)?.[field.name] ?? middle];
          else if (/contains|starts_with|ends_with/.test(op)) {
            const text = String(middle);
            const slice = op.includes("ends_with")
              ? text.slice(-3)
              : op.includes("starts_with")
                ? text.slice(0, 4)
                : text.slice(2, 6);
            probe = op.includes("nocase") ? slice.toUpperCase() : slice;
            if (field.typeName === "Bytes") probe = `0x${text.slice(4, 8)}`;
          }
          const expected = rows
            .filter((r) => matches(field, op, r[field.name], probe))
            .map((r) => String(r.id))
            .sort();
          const result = await data(
            `query($v: ${inputType(field, op)}) { ${plural}(first: 1000, where: { ${key}: $v }) { id } }`,
            {
              v: probe,
            },
          );
          const ids = (result[plural] as { id: string }[]).map((r) => r.id);
          expect(ids, `${type}.${key} = ${JSON.stringify(probe)}`).to.deep.equal(expected);
          checked += 1;
        }
        expect(checked).to.be.greaterThan(5);
      });
    }

    function inputType(field: FieldInfo, op: string): string {
      const base = field.category === "entity" ? "String" : field.typeName;
      return op === "in" || op === "not_in" ? `[${base}!]` : base;
    }

    it("null filters select missing and present values", async () => {
      const rows = reference("DelegationChange");
      const result = await data(`{ a: delegationChanges(first: 1000, where: { fromDelegate: null }) { id }
        b: delegationChanges(first: 1000, where: { fromDelegate_not: null }) { id } }`);
      expect((result.a as Row[]).length).to.equal(rows.filter((r) => r.fromDelegate === null).length);
      expect((result.b as Row[]).length).to.equal(rows.filter((r) => r.fromDelegate !== null).length);
      expect((result.a as Row[]).length).to.be.greaterThan(0);
    });

    it("empty _in matches nothing and empty _not_in everything", async () => {
      const result = await data(
        `{ a: accounts(where: { id_in: [] }) { id } b: accounts(first: 1000, where: { id_not_in: [] }) { id } }`,
      );
      expect(result.a).to.deep.equal([]);
      expect((result.b as Row[]).length).to.equal(reference("Account").length);
    });

    it("list fields: _contains requires every element, _not_contains excludes them", async () => {
      const actions = reference("ProposalAction");
      const withArgs = actions.find((a) => (a.arguments as string[]).length === 2)!;
      const arg = (withArgs.arguments as string[])[1]!;
      const result = await data(
        `query($v: [String!]) { a: proposalActions(where: { arguments_contains: $v }) { id }
        b: proposalActions(where: { arguments_not_contains: $v }) { id } }`,
        { v: [arg] },
      );
      expect((result.a as Row[]).map((r) => r.id)).to.deep.equal(
        actions.filter((a) => (a.arguments as string[]).includes(arg)).map((a) => a.id),
      );
      expect((result.b as Row[]).length).to.equal(actions.length - (result.a as Row[]).length);
    });

    it("nested `_` filters on references, derived fields and and/or combinations", async () => {
      const votes = await data(
        `{ votes(first: 1000, where: { voter_: { votingPower_gt: "5000000000000000000000000" } }) { id voter { id votingPower } } }`,
      );
      const expected = reference("Vote").filter((v) => {
        const delegate = reference("Delegate").find((d) => d.id === v.voter)!;
        return BigInt(delegate.votingPower as string) > 5_000_000n * 10n ** 18n;
      });
      expect((votes.votes as Row[]).map((v) => v.id).sort()).to.deep.equal(expected.map((v) => v.id).sort());
      const proposals = await data(`{ proposals(where: { votes_: { support: Against } }) { id } }`);
      expect((proposals.proposals as Row[]).map((p) => p.id)).to.deep.equal([scenario.passedId.toString()]);
      const combined =
        await data(`{ proposals(where: { or: [{ status: Canceled }, { forVotes_gt: "0" }] }, orderBy: createdAt) { id }
        none: proposals(where: { and: [{ status: Canceled }, { forVotes_gt: "0" }] }) { id } }`);
      expect((combined.proposals as Row[]).map((p) => p.id)).to.deep.equal([
        scenario.passedId.toString(),
        scenario.canceledId.toString(),
      ]);
      expect(combined.none).to.deep.equal([]);
    });
  });

  describe("ordering and pagination", () => {
    it("orders by every stored field in both directions with id as tie-breaker, NULLs as Postgres", async () => {
      for (const type of ["Account", "ParameterChange", "Delegate", "VotingPowerChange"]) {
        const entity = app.store.schema.entities.get(type)!;
        const rows = reference(type);
        const plural = pluralOf(entity);
        for (const field of entity.storedFields.filter((f) => !f.list)) {
          for (const direction of ["asc", "desc"] as const) {
            const result = await data(
              `{ ${plural}(first: 1000, orderBy: ${field.name}, orderDirection: ${direction}) { id } }`,
            );
            const ids = (result[plural] as Row[]).map((r) => r.id);
            expect(ids, `${type} by ${field.name} ${direction}`).to.deep.equal(referenceOrder(field, rows, direction));
          }
        }
      }
    });

    it("orders by a referenced entity's field (`ref__field`)", async () => {
      const result = await data(
        `{ votes(orderBy: voter__votingPower, orderDirection: desc) { id voter { votingPower } } }`,
      );
      const powers = (result.votes as { voter: { votingPower: string } }[]).map((v) => BigInt(v.voter.votingPower));
      expect(powers).to.deep.equal([...powers].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    });

    it("defaults to id order and 100 results; first and skip page through the ordering", async () => {
      const all = reference("ParameterChange")
        .map((r) => String(r.id))
        .sort();
      const byDefault = await data(`{ parameterChanges { id } }`);
      expect((byDefault.parameterChanges as Row[]).map((r) => r.id)).to.deep.equal(all.slice(0, 100));
      for (const [first, skip] of [
        [1, 0],
        [3, 2],
        [5, 17],
        [1000, 0],
        [10, all.length],
      ] as const) {
        const page = await data(`{ parameterChanges(first: ${first}, skip: ${skip}) { id } }`);
        expect(
          (page.parameterChanges as Row[]).map((r) => r.id),
          `first ${first} skip ${skip}`,
        ).to.deep.equal(all.slice(skip, skip + first));
      }
    });

    it("pages derived lists with their own arguments", async () => {
      const result = await data(
        `query($id: ID!) { proposal(id: $id) { votes(first: 2, orderBy: weight, orderDirection: desc) { weight } } }`,
        {
          id: scenario.passedId.toString(),
        },
      );
      const weights = ((result.proposal as Row).votes as Row[]).map((v) => BigInt(v.weight as string));
      expect(weights).to.have.length(2);
      expect(weights[0]! >= weights[1]!).to.equal(true);
    });
  });

  describe("entities, @derivedFrom and _meta", () => {
    it("fetches one entity by id, null when absent", async () => {
      const result = await data(
        `query($id: ID!) { proposal(id: $id) { id status proposer { id } } missing: proposal(id: "1") { id } }`,
        {
          id: scenario.passedId.toString(),
        },
      );
      expect(result.proposal).to.deep.equal({
        id: scenario.passedId.toString(),
        status: "Executed",
        proposer: { id: system.alice.address.toLowerCase() },
      });
      expect(result.missing).to.equal(null);
    });

    it("resolves @derivedFrom fields from the entities pointing back", async () => {
      const alice = system.alice.address.toLowerCase();
      const result = await data(
        `query($id: ID!) { delegate(id: $id) { delegators(orderBy: id) { id } votes { proposal { id } } }
        account(id: $id) { proposals { id } delegationChanges { id } } }`,
        { id: alice },
      );
      const delegators = reference("Account")
        .filter((a) => a.delegate === alice)
        .map((a) => a.id)
        .sort();
      expect(((result.delegate as Row).delegators as Row[]).map((d) => d.id)).to.deep.equal(delegators);
      expect(((result.delegate as Row).votes as Row[]).map((v) => (v.proposal as Row).id)).to.deep.equal([
        scenario.passedId.toString(),
      ]);
      expect(((result.account as Row).proposals as Row[]).map((p) => p.id)).to.deep.equal([
        scenario.passedId.toString(),
      ]);
      expect(((result.account as Row).delegationChanges as Row[]).length).to.equal(1);
    });

    it("reads the fields that fragments, inline fragments and aliases select, as written inline", async () => {
      const inline = await data(
        `{ accounts(first: 5, orderBy: id) { id balance delegate { id votingPower } } delegates(first: 3) { id delegatorCount } }`,
      );
      const viaFragments = await data(
        `{ accounts(first: 5, orderBy: id) { ...Holder ... on Account { delegate { ...Power } } }
           delegates(first: 3) { id ... on Delegate { count: delegatorCount } } }
         fragment Holder on Account { id balance }
         fragment Power on Delegate { id votingPower }`,
      );
      expect(viaFragments.accounts).to.deep.equal(inline.accounts);
      expect((viaFragments.delegates as Row[]).map((d) => d.count)).to.deep.equal(
        (inline.delegates as Row[]).map((d) => d.delegatorCount),
      );
    });

    it("answers exactly as graphql-js's executor does", () => {
      const fast = new QueryExecutor(app.store);
      const reference = new QueryExecutor(app.store, { fastPath: false });
      const alice = system.alice.address.toLowerCase();
      const requests = [
        { query: `{ accounts(first: 7, orderBy: balance, orderDirection: desc) { id balance __typename } }` },
        {
          query: `{ a: delegate(id: "${alice}") { id votingPower delegators(first: 2) { id } } b: delegate(id: "0x0") { id } }`,
        },
        {
          query: `{ proposals { id status actions { target signature } votes(orderBy: weight) { voter { id } support } } }`,
        },
        {
          query: `query Q($n: Int!, $skip: Boolean!) { accounts(first: $n, orderBy: id) { id balance @skip(if: $skip) } }`,
          variables: { n: 3, skip: true },
        },
        {
          query: `query A { accounts(first: 1) { id } } query B { protocol(id: "curia") { holderCount totalSupply } }`,
          operationName: "B",
        },
        { query: `{ accounts(first: 2) { id } accounts(first: 2) { balance } }` },
        { query: `{ _meta { block { number hash } hasIndexingErrors deployment } }` },
        { query: `{ __schema { queryType { name } } }` },
        { query: `{ accounts(where: { balance_gt: "ten" }) { id } }` },
        {
          query: `{ votingPowerChanges(first: 3, where: { delegate_: { votingPower_gt: "0" } }) { id delegate { id } } }`,
        },
      ];
      for (const request of requests) {
        const answer = JSON.parse(JSON.stringify(fast.run(request))) as { errors?: unknown };
        expect(answer, request.query).to.deep.equal(JSON.parse(JSON.stringify(reference.run(request))));
        // Only the bad BigInt fails; every other request has data to compare.
        expect(answer.errors === undefined, request.query).to.equal(!request.query.includes(`"ten"`));
      }
    });

    it("reports the indexed block (with its timestamp and parent hash) and indexing health in _meta", async () => {
      const result = await data(
        `{ _meta { block { number hash timestamp parentHash } hasIndexingErrors deployment } }`,
      );
      const meta = result._meta as { block: Record<string, unknown>; hasIndexingErrors: boolean };
      const latest = await system.connection.ethers.provider.getBlock("latest");
      expect(meta.block).to.deep.equal({
        number: latest!.number,
        hash: latest!.hash,
        timestamp: latest!.timestamp,
        parentHash: latest!.parentHash,
      });
      expect(meta.hasIndexingErrors).to.equal(false);
    });

    it("answers as of an earlier block with `block: { number }`", async () => {
      const created = reference("Proposal").find((p) => p.id === scenario.passedId.toString())!;
      const result = await data(
        `query($id: ID!, $b: Int!) { proposal(id: $id, block: { number: $b }) { status voteCount } }`,
        {
          id: scenario.passedId.toString(),
          b: Number(created.createdBlock),
        },
      );
      expect(result.proposal).to.deep.equal({ status: "Pending", voteCount: 0 });
    });

    it("sees nothing of a proposal the block before it was created, and lists it exactly once from that block", async () => {
      const id = scenario.passedId.toString();
      const created = Number(reference("Proposal").find((p) => p.id === id)!.createdBlock);
      const at = async (b: number) =>
        data(
          `query($id: ID!, $b: Int!) { proposal(id: $id, block: { number: $b }) { id } proposals(first: 1000, block: { number: $b }) { id } }`,
          {
            id,
            b,
          },
        ) as Promise<{ proposal: { id: string } | null; proposals: { id: string }[] }>;
      const before = await at(created - 1);
      expect(before.proposal).to.equal(null);
      expect(before.proposals.map((p) => p.id)).to.not.include(id);
      const then = await at(created);
      expect(then.proposal).to.deep.equal({ id });
      expect(then.proposals.filter((p) => p.id === id)).to.have.length(1);
      expect(new Set(then.proposals.map((p) => p.id)).size).to.equal(then.proposals.length, "each id once");
    });
  });

  describe("limits and errors", () => {
    it("rejects `first` above 1000 and negative `skip` with graph-node's message", async () => {
      expect((await query(`{ accounts(first: 1001) { id } }`)).errors?.[0]?.message).to.equal(
        "The `first` argument must be between 0 and 1000, but is 1001",
      );
      expect((await query(`{ accounts(skip: -1) { id } }`)).errors?.[0]?.message).to.match(
        /The `skip` argument must be between 0 and \d+, but is -1/,
      );
    });

    it("rejects queries deeper than the depth limit", async () => {
      let selection = "id";
      for (let i = 0; i < 130; i++) selection = `proposal { votes(first: 1) { ${selection} } }`;
      const result = await query(`{ votes(first: 1) { ${selection} } }`);
      expect(result.errors?.[0]?.message).to.equal("query has a depth that exceeds the limit of `255`");
    });

    it("explains unknown fields, bad arguments, syntax errors and bad values, and stays up", async () => {
      expect((await query(`{ proposals { nope } }`)).errors?.[0]?.message).to.match(
        /Cannot query field "nope" on type "Proposal"/,
      );
      expect((await query(`{ proposals(where: { status: Bogus }) { id } }`)).errors?.[0]?.message).to.match(/Bogus/);
      expect((await query(`{ proposals(`)).errors?.[0]?.message).to.match(/Syntax Error/);
      expect((await query(`{ accounts(where: { balance_gt: "ten" }) { id } }`)).errors?.[0]?.message).to.equal(
        "Failed to decode `BigInt` value: `ten`",
      );
      expect((await query(`{ accounts(orderBy: nope) { id } }`)).errors?.[0]?.message).to.match(/nope/);
      const malformed = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      });
      expect(malformed.status).to.equal(400);
      expect((await data(`{ _meta { hasIndexingErrors } }`))._meta).to.deep.equal({ hasIndexingErrors: false });
    });

    it("validates each query on its own values, though queries of one shape share a validation", async () => {
      // Same shape as a valid query, differing only in literals: the 32-bit range of Int and the equality of merged
      // fields' arguments still decide.
      expect((await query(`{ accounts(first: 5) { id } }`)).errors).to.equal(undefined);
      expect((await query(`{ accounts(first: 99999999999) { id } }`)).errors?.[0]?.message).to.match(
        /Int cannot represent non 32-bit signed integer value: 99999999999/,
      );
      expect((await query(`{ a: accounts(first: 1) { id } a: accounts(first: 1) { id } }`)).errors).to.equal(undefined);
      expect(
        (await query(`{ a: accounts(first: 2) { id } a: accounts(first: 3) { id } }`)).errors?.[0]?.message,
      ).to.match(/Fields "a" conflict because they have differing arguments/);
      const [first, second] = await Promise.all([
        data(`{ accounts(first: 2, orderBy: id) { id } }`),
        data(`{ accounts(first: 3, orderBy: id) { id } }`),
      ]);
      expect((first.accounts as Row[]).length).to.equal(2);
      expect((second.accounts as Row[]).length).to.equal(3);
      expect(queryShape(`{ a(x: "1", y: 2) }`)).to.equal(queryShape(`{ a(x: "7", y: 9) }`));
      expect(queryShape(`{ a(x: "1", y: "1") }`)).to.not.equal(queryShape(`{ a(x: "1", y: "2") }`));
    });

    it("serves an offline query page and the API schema", async () => {
      const page = await fetch(url, { headers: { accept: "text/html" } });
      const html = await page.text();
      expect(page.headers.get("content-type")).to.match(/text\/html/);
      expect(html).to.include("/subgraphs/name/curia");
      expect(html).to.not.match(/https?:\/\//);
      const schema = await (await fetch(`${url}/schema.graphql`)).text();
      expect(schema).to.include("input Proposal_filter");
    });

    it("refuses over-long bodies (413), bad GET variables (400) and other methods (405), and stays up", async () => {
      const small = createQueryServer({ executor: new QueryExecutor(app.store), maxBodyBytes: 64 });
      await new Promise<void>((resolve) => small.listen(0, "127.0.0.1", resolve));
      try {
        const smallUrl = `http://127.0.0.1:${(small.address() as AddressInfo).port}/subgraphs/name/curia`;
        const long = await fetch(smallUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `{ accounts(first: 1) { id balance delegate { id } } }` }),
        });
        expect(long.status).to.equal(413);
        expect(((await long.json()) as { errors: { message: string }[] }).errors[0]!.message).to.equal(
          "request body over 64 bytes",
        );
        const fits = await fetch(`${smallUrl}?query=${encodeURIComponent("{ _meta { hasIndexingErrors } }")}`);
        expect(await fits.json()).to.deep.equal({ data: { _meta: { hasIndexingErrors: false } } });
      } finally {
        await new Promise((resolve) => small.close(resolve));
      }
      const badVariables = await fetch(`${url}?query=${encodeURIComponent("{ _meta { deployment } }")}&variables={`);
      expect(badVariables.status).to.equal(400);
      expect(((await badVariables.json()) as { errors: { message: string }[] }).errors[0]!.message).to.equal(
        "`variables` is not valid JSON",
      );
      expect((await fetch(url, { method: "DELETE" })).status).to.equal(405);
      expect((await fetch(`${url}/nope`)).status).to.equal(404);
      expect((await data(`{ _meta { hasIndexingErrors } }`))._meta).to.deep.equal({ hasIndexingErrors: false });
    });

    // Last in this file: it moves the chain on.
    it("answers a repeated query from its cache until a new block, then from the new data", async () => {
      const holder = Wallet.createRandom().address.toLowerCase();
      const text = `{ account(id: "${holder}") { balance } accounts(first: 3, orderBy: balance, orderDirection: desc) { id } }`;
      const before = await data(text);
      expect(before.account).to.equal(null);
      // The first sighting is not cached, the second is, the third is answered from the cache: all agree.
      expect(await data(text)).to.deep.equal(before);
      expect(await data(text)).to.deep.equal(before);
      await (await system.token.connect(system.deployer).transfer(holder, 1234n)).wait();
      await app.indexer.syncToLatest();
      expect((await data(text)).account).to.deep.equal({ balance: "1234" });
    });
  });
});
