// Usage of `curia-canary` (no imports: --help works before the build).
export const CANARY_USAGE = `curia-canary: the canary operator of planted-error audits (CanaryAudits, issue 18)

Usage: curia-canary <command> [options]

Commands:
  curia-canary list --model-hash <0x…32 bytes> --metadata <uri> --endpoint <url> --price <CUR> --true-score <bps>
                    [--bond <CUR>] [--fund-from-master] [--served-model-hash <0x…32 bytes>]
      lists a canary from its own provider key (the next one derived from the master key) and records its measured
      true score and key index. That address must already hold 0.01 ETH for gas and the bond in CUR, sent from
      sources not linked to the DAO or to other canaries (else it refuses, naming the address). --fund-from-master
      sends them from the master key instead: that links every canary on-chain (local demos and tests only).
      Serve it with the sample provider's degraded model: curia-provider --mode degraded --listing <id>, its key
      from curia-canary provider-key --index <i>. --served-model-hash: the hash of the model it really serves; its
      leaves' salts then commit to it, and each audit logs the hash and nonce to publish (anyone can check the
      revealed salt against them and re-run the model given its weights).
  curia-canary addresses [--from <index>] [--count <n>]
      prints the derived provider addresses (default: the next one), with their ETH and CUR: what the DAO funds
  curia-canary provider-key --index <i>
      prints canary provider i's private key (for its curia-provider); needs only the master key
  curia-canary commit
      commits a new root: every listing's leaf (canaries' truths, random decoys for the rest) before rounds open
  curia-canary run [--interval-ms <ms>]
      commits a root whenever a canary has none yet, then audits every finalized round of a canary, forever
  curia-canary audit
      audits the finalized rounds once and exits

Options and environment (an option wins over its variable):
  --rpc-url <url>           CURIA_RPC_URL               (default http://127.0.0.1:8545)
  --deployment <name|file>  CURIA_DEPLOYMENT            (default localhost: deployments/<name>.json)
  --operator-key <0x…>      CURIA_CANARY_OPERATOR_KEY   CanaryAudits' operator (required)
  --master-key <0x…>        CURIA_CANARY_MASTER_KEY     derives each canary's provider key (required)
  --state <file>            CURIA_CANARY_STATE          salts, leaves, epochs, rounds done (default .curia/canary-state.json)
  -h, --help                this text
`;
