// `curia-provider --help`. No imports: bin/curia-provider.mjs prints this before it loads the CLI, whose imports need
// the build (the protocol package's generated ABIs, the typed bindings), so that `--help` answers on a fresh clone.

export const USAGE = `curia-provider — a sample inference provider for Curia listings

Usage: curia-provider --listing <id>[,id…] [options]

  --mode honest|degraded|random|validator-aware
                                  honest: the reference model; degraded: a cheaper model; random: random answers;
                                  validator-aware: the reference model to registered validators, the cheaper one
                                  to everyone else (the attack receipts catch)
  --listing <id>[,id…]            listings served (required). Each listing's task (mnist, vad, ocr) comes from its
                                  metadata on-chain; VAD and OCR listings run their task plugin's model, loaded on
                                  the first request: Silero fp32 (degraded: fp16) and PP-OCRv4 recognition
                                  (degraded: lines squeezed to half their width)
  --port <port>                   [8600; 0: any free port]      --host <host> [127.0.0.1]
  --rpc-url <url>                 [CURIA_RPC_URL, http://127.0.0.1:8545]
  --deployment <name|file>        [CURIA_DEPLOYMENT, localhost]
  --model <file.onnx>             the MNIST model served (default: the cached reference or degraded model of --mode;
                                  validator-aware: the model non-validators get, default the degraded one)
  --serving-key-file <file>       the key that signs receipts: a 0x-hex private key, or a JSON keystore
                                  (password: CURIA_SERVING_KEY_PASSWORD); or CURIA_SERVING_KEY (0x-hex)
  --dev-account <i>               sign with Hardhat's public test account #i (local chain 31337 only). Default on
                                  the local chain: the test account that is the listings' serving key on-chain
  --state <file.json>             remember served calls and used nonces across restarts
  --allow-origin <origin>|*|none  [CURIA_PROVIDER_ALLOW_ORIGIN, *] which web pages may call it (CORS): a consumer's
                                  browser app sends its signed requests from its own origin
  --execution-provider auto|cuda|cpu  [auto]
  CURIA_IPFS_GATEWAY              [https://ipfs.io] where ipfs:// listing metadata is read
  --log-format text|json          [text]
`;
