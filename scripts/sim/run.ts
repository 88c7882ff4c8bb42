// One scenario from config to summary: a fresh in-process chain, the simulation, the cost of corruption, the checks.
import type { SimConfig } from "./config.js";
import { corruptionCases, daoCapture, randomJurorEdge, type CorruptionInput } from "./corruption.js";
import { classOf, Simulation } from "./engine.js";
import { summarize, type Summary } from "./report.js";

export async function runScenario(config: SimConfig, log: (line: string) => void = () => {}): Promise<Summary> {
  const { default: hre } = await import("hardhat");
  const connection = await hre.network.create();
  try {
    const result = await new Simulation(connection, hre, config, log).run();
    const e = config.economics;
    const honestJurors = config.agents.jurors.filter((g) => g.strategy === "honest").reduce((n, g) => n + g.count, 0);
    const input: CorruptionInput = {
      parameters: config.parameters,
      daoQuorum: result.daoQuorum,
      honestJurorStake: honestJurors * e.stakes.juror,
      // The best-selling cheater's margin: what one more epoch on the market is worth to the provider that bribes.
      cheaterMarginPerEpoch: Math.max(
        0,
        ...Object.entries(result.marginPerEpoch)
          .filter(([strategy]) => classOf(`provider/${strategy}`) === "dishonest")
          .map(([, margin]) => margin),
      ),
      poolCanAppeal: result.poolCanAppeal,
    };
    const dao = daoCapture({
      dao: config.dao,
      votableSupply: result.votableSupply,
      quorum: Number(result.daoQuorum / 10n ** 18n),
      secured: result.secured,
      exitSeconds: result.exitSeconds,
      proposalToExecution: result.proposalToExecution,
    });
    return summarize(result, corruptionCases(input), randomJurorEdge(input), dao);
  } finally {
    await connection.close();
  }
}
