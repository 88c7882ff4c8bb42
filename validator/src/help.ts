// \`curia-validator --help\`. Only leaf modules here (defaults.ts imports nothing): bin/curia-validator.mjs prints this
// before it loads the CLI, whose imports need the build (the protocol package's generated ABIs, the typed bindings),
// so that \`--help\` answers on a fresh clone.
import { DEFAULT_IPFS_GATEWAY, DEFAULT_PROBE_FUNDING_DEV_ACCOUNT } from "./defaults.js";

export const USAGE = `curia-validator — Curia's validator service and CLI

Usage: curia-validator <command> [options]

Commands:
  register              register with --stake <CUR> (default: the governed minimum)
  run                   the long-running service: verify, commit and reveal on the rounds it is drawn for
  verify <listingId>    verify a listing once (buys --samples calls) and print the report (--json)
  verify <model.onnx>   a model file's content hash and accuracy on the held-out digits
  check-receipt <disputeId>   judge a fraud proof filed on ListingChallenges: fetch the published input and output,
                        check them against the receipt, re-execute on the listing's model; print the verdict (--json)
  status                the validator's stake, rewards, and rounds pending in the state dir (--json)
  model                 train (or reuse) the reference and degraded models; print their paths and hashes (--json)

Chain and key:
  --rpc-url <url>             JSON-RPC endpoint                      [CURIA_RPC_URL, http://127.0.0.1:8545]
  --deployment <name|file>    deployments/<name>.json or a path      [CURIA_DEPLOYMENT, localhost]
  --keystore <file>           encrypted JSON keystore                [CURIA_KEYSTORE]
  --password-file <file>      keystore password file    [CURIA_KEYSTORE_PASSWORD_FILE; or CURIA_KEYSTORE_PASSWORD]
  --dev-account <i>[,j…]      Hardhat's public test account(s); local chain 31337 only  [CURIA_DEV_ACCOUNT]
  --config <file>             JSON file with any option in camelCase  [CURIA_VALIDATOR_CONFIG]

Service:
  --state-dir <dir>           commit-reveal records                  [CURIA_VALIDATOR_STATE_DIR, .curia/validator]
  --metrics-port <port>       Prometheus /metrics (0: any free port) [CURIA_METRICS_PORT, 9464]
  --metrics-host <host>       [127.0.0.1]
  --audit-port <port>         audit server, POST /audits {receipt, inputURI, outputURI} (0: any free port)
                              [CURIA_AUDIT_PORT; default 9465, or any free port when 9465 is taken]
  --audit-host <host>         [127.0.0.1]      --no-audits   do not accept audits
  --min-audits <n>            audited receipts a round needs to be scored from them instead of probes [20]
  --audit-cap <n>             audits waiting per listing, at most (more are refused) [1000]
  --max-publication-bytes <n> largest published input or output read (fraud proofs, audits) [8388608]
  --listing <id>[,id…]        listings whose free rounds the keeper opens when due
  --no-keeper                 do not call openRound / drawCommittee / finalizeRound
  --stake <CUR>               register with this stake first when not registered (run, register)
  --file-fraud-proofs         file a fraud proof (with this validator's bond) for every audited or probed answer
                              outside the task's tolerance, once per receipt, one open dispute per listing [off]
  --fraud-proof-bond <CUR>    bond per fraud proof, lost if the answer is ruled within tolerance
                              [ListingChallenges' minimum challenge bond]
  --poll-ms <ms>              chain polling interval [1000]
  --log-format text|json      [CURIA_LOG_FORMAT, text]   --log-level debug|info|warn|error [info]

Probes (run; for listings with fewer than --min-audits audits: see docs/probes.md):
  --samples <n>               probe calls a round's score needs; a round whose period holds fewer is topped up by an
                              immediate probe (the weaker path); verify: samples per verification [100]
  --task-samples <task>=<n>   --samples for the listings of one task (mnist, vad, ocr); repeatable [none]
  --probes-per-period <n>     probes per listing per round period, at random times from the private probe secret
                              (0: immediate probes only) [12]
  --probe-size <min>-<max>    calls per probe request, drawn at random [4-16]
  --probe-lateness <s>        a planned probe more than this late is dropped, never sent in a burst [900]
  --probe-listing <id>[,id…]  listings the schedule probes [every Active listing]
  --probe-gas <units>         gas each fresh probe buyer is funded for (approve, purchase, sweep) [400000]
  --probe-funding-keystore <file>   the account that funds probe buyers (never the validator key)
                              [CURIA_PROBE_FUNDING_KEYSTORE; or a 0x-hex key in CURIA_PROBE_FUNDING_KEY]
  --probe-funding-password-file <file>   [CURIA_PROBE_FUNDING_PASSWORD_FILE; or CURIA_PROBE_FUNDING_PASSWORD]
  --probe-funding-dev-account <i>   Hardhat's public test account #i; local chain only
                              [CURIA_PROBE_FUNDING_DEV_ACCOUNT; default there: #${DEFAULT_PROBE_FUNDING_DEV_ACCOUNT}]

Verification (verify):
  --batch-size <n>            samples per provider request [100]
  --round <id>                seed the sample draw like round <id> [0]
  --no-buy                    use calls bought beforehand instead of buying --samples calls
  --model-uri [<id>=]<uri>    model location instead of the metadata's modelURI (file://, http(s)://, ipfs://)
  --ipfs-gateway <url>        [CURIA_IPFS_GATEWAY, ${DEFAULT_IPFS_GATEWAY}]
  --execution-provider auto|cuda|cpu   [CURIA_EXECUTION_PROVIDER, auto: CUDA when it loads, else CPU]
  --atol, --rtol, --agreement-weight-bps   score tolerance band and weight [1e-3, 1e-2, 7000]
  --json                      machine-readable output
`;
