// `curia --help`. A leaf module (no imports): bin/curia.mjs prints this before it loads the CLI, whose imports need the
// build (the protocol package's generated ABIs, the typed bindings), so that `--help` answers on a fresh clone.

export const USAGE = `curia — Curia's command line: buy calls, list models, stake as a juror

Usage: curia [options] <role> <command> [arguments]

Consumer:
  consumer buy <listingId> <calls>      buy calls at the listing's price (approves the cost first when needed)
                                        [--max-price <CUR>: refuse a price above this; default the current price]
  consumer balance                      CUR balance [--listing <id>: also the calls bought on that listing]

Provider:
  provider list --model-hash <0x…32 bytes> --metadata <uri> --endpoint <url> --price <CUR> [--bond <CUR>]
                                        create a listing, posting the bond (default: the governed minimum)
  provider update-price <listingId> <CUR>   change the price per call
  provider earnings                     withdrawable earnings [--listing <id>: release that listing's escrow first]
  provider withdraw-earnings [--to <address>]   send the withdrawable earnings (to yourself by default)
  provider exit <listingId>             request the withdrawal of a listing (sales stop; the bond waits the delay)
  provider exit <listingId> --complete  complete it once the delay passed: the bond comes back

Juror (the court's JurorPool):
  juror stake <CUR>                     stake (approves first when needed)
  juror unstake <CUR>                   start thawing that much stake
  juror withdraw                        withdraw thawed stake
  juror status                          staked, locked, thawing, draw weight, the pool's minimum and thawing period

Validator:
  validator <command> [options]         runs curia-validator (register, run, verify, status, …; see its --help)

Options:
  --rpc-url <url>            JSON-RPC endpoint (alias --rpc)      [CURIA_RPC_URL, http://127.0.0.1:8545]
  --deployment <name|file>   deployments/<name>.json, a chain id or a path  [CURIA_DEPLOYMENT, localhost]
  --key-file <file>          file holding a 0x-hex private key (never printed)
  --key <0x…>                a 0x-hex private key; prefer --key-file or CURIA_KEY (a flag shows in ps) [CURIA_KEY]
  --dev-account <n>          Hardhat's PUBLIC test account #n (alias --account); refused on any chain but the
                             local one (31337)
  --json                     machine-readable output
  -h, --help                 this text

Amounts are in CUR (18 decimals): "1250.5" or "1,250.5". Exit codes: 0 done, 1 the call failed (the contract's
error is printed by name with its arguments), 2 bad arguments.
`;
