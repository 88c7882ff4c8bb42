// A minimal, dependency-free GraphiQL-style page: query and variables editors, run with Ctrl/Cmd-Enter, the result,
// and the API schema for reference. Everything is inline, so it works offline.
export const QUERY_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__NAME__ · GraphQL</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; display: grid; grid-template-rows: auto 1fr; height: 100vh; }
  header { padding: 8px 12px; background: #1f2937; color: #f9fafb; display: flex; gap: 12px; align-items: center; }
  header button { font: inherit; padding: 4px 14px; cursor: pointer; }
  main { display: grid; grid-template-columns: 1fr 1fr 22rem; min-height: 0; }
  section { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid #d1d5db; }
  label { padding: 4px 8px; background: #f3f4f6; font-size: 12px; color: #374151; }
  textarea, pre { flex: 1; margin: 0; padding: 8px; border: 0; font: 13px ui-monospace, monospace; resize: none; overflow: auto; }
  #variables { flex: 0 0 8rem; border-top: 1px solid #d1d5db; }
</style>
</head>
<body>
<header><strong>__NAME__</strong><span>__ENDPOINT__</span><button id="run" title="Ctrl/Cmd-Enter">Run ▶</button><span id="status"></span></header>
<main>
  <section><label>Query</label><textarea id="query" spellcheck="false">{
  _meta { block { number hash } hasIndexingErrors }
  proposals(first: 5, orderBy: createdAt, orderDirection: desc) {
    id status description forVotes againstVotes abstainVotes quorum
    votes(first: 5) { voter { id } support weight reason }
  }
}</textarea><label>Variables (JSON)</label><textarea id="variables" spellcheck="false">{}</textarea></section>
  <section><label>Result</label><pre id="result"></pre></section>
  <section><label>Schema</label><pre id="schema">loading…</pre></section>
</main>
<script>
  const endpoint = "__ENDPOINT__";
  const $ = (id) => document.getElementById(id);
  async function run() {
    let variables = {};
    try { variables = JSON.parse($("variables").value || "{}"); } catch (e) { $("result").textContent = "Variables: " + e.message; return; }
    const started = performance.now();
    $("status").textContent = "running…";
    const response = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: $("query").value, variables }) });
    $("result").textContent = JSON.stringify(await response.json(), null, 2);
    $("status").textContent = response.status + " · " + Math.round(performance.now() - started) + " ms";
  }
  $("run").onclick = run;
  document.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  fetch(endpoint + "/schema.graphql").then((r) => r.text()).then((t) => { $("schema").textContent = t; });
</script>
</body>
</html>
`;
