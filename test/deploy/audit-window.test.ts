// Issue 18: a canary round can only be audited within CanaryAudits' auditWindow of its opening. The local deploy's
// window (3,600 s) was shorter than its longest round (draw 3,600 + commit 600 + reveal 600 = 4,800 s), so a canary
// round drawn late finalized after its deadline and could never be audited. Every deploy config, and any
// CURIA_DEPLOY_CONFIG override, must give a window that outlasts the longest round and fits the pool's thaw.
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { curiaConfigFor } from "../../deploy/config.js";
import {
  auditWindowProblem,
  checkAuditWindow,
  LOCAL_VALIDATION,
  longestRound,
  MAINNET_VALIDATION,
  validationConfigFor,
  type ValidationConfig,
} from "../../deploy/validation-config.js";

describe("deploy: the canary audit window covers the longest round", function () {
  const configs: [string, ValidationConfig][] = [
    ["local", LOCAL_VALIDATION],
    ["mainnet", MAINNET_VALIDATION],
    ...["hardhat", "localhost", "default", "sepolia", "mainnet"].map((n): [string, ValidationConfig] => [
      `network ${n}`,
      curiaConfigFor(n, "").validation,
    ]),
  ];
  for (const [name, config] of configs) {
    it(`${name}: longest round < auditWindow <= validators' thaw`, function () {
      const window = config.canary.params.auditWindow;
      expect(window).to.be.greaterThan(longestRound(config.params));
      expect(window).to.be.at.most(config.validatorPool.thawingPeriod);
      expect(auditWindowProblem(config)).to.equal(undefined);
    });
  }

  it("the local round is 4,800 s and its window two hours (the old 3,600 s fails the check)", function () {
    expect(longestRound(LOCAL_VALIDATION.params)).to.equal(4_800);
    expect(LOCAL_VALIDATION.canary.params.auditWindow).to.equal(7_200);
    const old = {
      ...LOCAL_VALIDATION,
      validatorPool: { ...LOCAL_VALIDATION.validatorPool, thawingPeriod: 3_600 },
      canary: { ...LOCAL_VALIDATION.canary, params: { ...LOCAL_VALIDATION.canary.params, auditWindow: 3_600 } },
    };
    expect(() => checkAuditWindow(old)).to.throw(/auditWindow 3600 s does not outlast the longest round \(4800 s/);
    expect(validationConfigFor("hardhat")).to.equal(LOCAL_VALIDATION);
  });

  it("refuses an override that stretches the rounds past the window, or the window past the thaw", function () {
    const dir = mkdtempSync(join(tmpdir(), "curia-window-"));
    const long = join(dir, "long.json");
    writeFileSync(long, JSON.stringify({ validation: { params: { drawPeriod: 7_200 } } }));
    expect(() => checkAuditWindow(curiaConfigFor("hardhat", long).validation)).to.throw(/longest round \(8400 s/);
    const short = join(dir, "short.json");
    writeFileSync(short, JSON.stringify({ validation: { validatorPool: { thawingPeriod: 3_600 } } }));
    expect(() => checkAuditWindow(curiaConfigFor("hardhat", short).validation)).to.throw(
      /exceeds the validators' pool's thawing period 3600 s/,
    );
  });
});
