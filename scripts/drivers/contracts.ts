// The system's contracts as deployCuria returns them, under its names: one definition of the set the demo's history,
// the court tests and the simulation drive, so that a contract's type follows the deployment's.
import type { CuriaDeployment } from "../../deploy/system.js";

/** The governance, marketplace, court and validation contracts (not the lens, the canary or pending wiring). */
export type CuriaContracts = Pick<
  CuriaDeployment,
  "token" | "registry" | "curationPool" | "governor" | "court" | "jurorPool" | "challenges" | "validation"
>;
