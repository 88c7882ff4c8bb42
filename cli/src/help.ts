// `curia --help` and `curia <role> --help`. A leaf module (no imports): bin/curia.mjs prints this before it loads the
// CLI, whose imports need the build (the protocol package's generated ABIs, the typed bindings), so that `--help`
// answers on a fresh clone.

const HEAD = `curia — Curia's command line: buy and call models, list them, stake as a juror or a validator`;

export const SECTIONS: Record<string, string> = {
  consumer: `Consumer:
  consumer buy <listingId> <calls>      buy calls at the listing's price (approves the cost first when needed)
                                        [--max-price <CUR>: refuse a price above this; default the current price]
  consumer balance                      CUR balance [--listing <id>: also the calls bought on that listing]
  consumer call <listingId> --input <file>
                                        sign a request (EIP-712, no transaction), call the listing's endpoint, check
                                        the receipt against its serving key, print the answer and the receipt, and
                                        save the receipt with its input and output [--receipts-dir <dir>:
                                        CURIA_RECEIPTS_DIR, .curia/receipts] [--receipt-out <file>] [--endpoint <url>]
                                        The input file: JSON ([[…], …], […] or {"inputs": …}) or raw float32 LE
  consumer verify-receipt <file>        check a saved receipt: signed by the listing's serving key for its date,
                                        naming the listing's model, input and output matching their hashes;
                                        prints valid or invalid with the reason (exit 1 when invalid)`,
  provider: `Provider:
  provider create-listing --model-hash <0x…32 bytes> --metadata <uri> --endpoint <url> --price <CUR> [--bond <CUR>]
                                        create a listing, posting the bond (approved first; default: the governed
                                        minimum); "provider list" is the same command
      instead of --metadata: --task mnist|vad|ocr --name <name> [--task-version <n>] [--description <text>]
                             [--model-uri <uri>]   writes the task metadata (a data: URI) validators and providers read
  provider update-price <listingId> <CUR>     change the price per call
  provider update-endpoint <listingId> <url>  change where the model is served
  provider update-metadata <listingId> <uri>  change the metadata URI (name, description, modelURI)
  provider earnings                     withdrawable earnings [--listing <id>: release that listing's escrow first]
  provider withdraw-earnings [--to <address>]   send the withdrawable earnings (to yourself by default)
  provider exit <listingId>             request the withdrawal of a listing (sales stop; the bond waits the delay)
  provider exit <listingId> --complete  complete it once the delay passed: the bond comes back`,
  juror: `Juror (the court's JurorPool):
  juror stake <CUR>                     stake (approves first when needed)
  juror unstake <CUR>                   start thawing that much stake
  juror withdraw                        withdraw thawed stake
  juror status                          staked, locked, thawing, draw weight, the pool's minimum and thawing period`,
  validator: `Validator:
  validator key new                     create an encrypted keystore (scrypt) for a new key; prints its address,
                                        never the key [--keystore <file>: CURIA_KEYSTORE, .curia/validator/keystore.json]
  validator key import                  the same from a private key in CURIA_KEY or on stdin, or from another
                                        keystore (--from-keystore <file>; its password: CURIA_IMPORT_PASSWORD)
  validator key address                 the keystore's address (no password needed)
  validator stake <CUR>                 stake in the ValidatorPool (approves first; the minimum registers)
  validator unstake <CUR>               start thawing that much stake
  validator withdraw                    withdraw thawed stake
  validator claim                       claim the rewards the ValidationManager owes
  validator status                      staked, locked, thawing, rewards, draw weight, the pool's minimum
  validator <command> [options]         anything else runs curia-validator (register, run, verify, check-receipt,
                                        model; see curia validator --help) with the chain and key options
  Validator commands sign with --keystore, or .curia/validator/keystore.json when it exists (password:
  CURIA_KEYSTORE_PASSWORD, --password-file, or typed).`,
};

const OPTIONS = `Options:
  --rpc-url <url>            JSON-RPC endpoint (alias --rpc)      [CURIA_RPC_URL, http://127.0.0.1:8545]
  --deployment <name|file>   deployments/<name>.json, a chain id or a path  [CURIA_DEPLOYMENT, localhost]
  --keystore <file>          encrypted JSON keystore [CURIA_KEYSTORE]; password from --password-file <file>,
                             CURIA_KEYSTORE_PASSWORD_FILE, CURIA_KEYSTORE_PASSWORD, or typed on the terminal
  --key-file <file>          file holding a 0x-hex private key (never printed)
  --key <0x…>                a 0x-hex private key; prefer --keystore or CURIA_KEY (a flag shows in ps) [CURIA_KEY]
  --dev-account <n>          Hardhat's PUBLIC test account #n (alias --account); refused on any chain but the
                             local one (31337)
  --json                     machine-readable output
  -h, --help                 this text (curia <role> --help: that role's commands)

Amounts are in CUR (18 decimals): "1250.5" or "1,250.5". Exit codes: 0 done, 1 the call failed (the contract's
error is printed by name with its arguments), 2 bad arguments.`;

export const USAGE = `${HEAD}

Usage: curia [options] <role> <command> [arguments]

${Object.values(SECTIONS).join("\n\n")}

${OPTIONS}
`;

/** `curia <role> --help`: that role's commands and the options. */
export function usageOf(role: string | undefined): string {
  const section = role === undefined ? undefined : SECTIONS[role];
  if (section === undefined) return USAGE;
  return `${HEAD}\n\nUsage: curia [options] ${role} <command> [arguments]\n\n${section}\n\n${OPTIONS}\n`;
}
