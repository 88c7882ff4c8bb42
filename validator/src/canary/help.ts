// Usage of `curia-canary` (no imports: --help works before the build).
export const CANARY_USAGE = `curia-canary: the canary operator of planted-error audits (CanaryAudits, issue 18)

Usage:
  curia-canary list --model-hash <0x…32 bytes> --metadata <uri> --endpoint <url> --price <CUR> --true-score <bps> [--bond <CUR>]
      lists a canary from the canary provider key and records its measured true score. Serve it with the sample
      provider's degraded model: curia-provider --mode degraded --listing <id> (its key is the canary provider key).
  curia-canary commit
      commits a new root: every listing's leaf (canaries' truths, random decoys for the rest) before rounds open
  curia-canary run [--interval-ms <ms>]
      commits a root whenever a canary has none yet, then audits every finalized round of a canary, forever
  curia-canary audit
      audits the finalized rounds once and exits

Options and environment (an option wins over its variable):
  --rpc <url>               CURIA_RPC_URL               (default http://127.0.0.1:8545)
  --deployment <name|file>  CURIA_DEPLOYMENT            (default localhost: deployments/<name>.json)
  --operator-key <0x…>      CURIA_CANARY_OPERATOR_KEY   CanaryAudits' operator (required)
  --provider-key <0x…>      CURIA_CANARY_PROVIDER_KEY   the canary listings' provider key (required)
  --state <file>            CURIA_CANARY_STATE          salts, leaves, epochs, rounds done (default .curia/canary-state.json)
  -h, --help                this text
`;
