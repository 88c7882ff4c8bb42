// What a provider serves, and to whom: the off-chain half of a provider strategy. The chain sees purchases, prices and
// scores; it cannot see which model answered a request. A provider that treats requests differently is modelled here
// from what it can observe about a request (does it come from a validator? is a round open on its listing?), played
// as a rational adversary would: it serves the listed model exactly where it believes someone checks, its cheaper one
// everywhere else.
import type { Economics, ProviderStrategy } from "./config.js";

/** What a provider can tell about one request. */
export interface RequestSeen {
  /** The provider recognizes the request as a validator's: a signed caller that is a registered validator, inputs
   * from a public dataset, sent inside the announced commit window (probes before issue 16). */
  fromKnownValidator: boolean;
  /** A validation round on the listing is open (between RoundOpened and RoundFinalized) when it is served. */
  duringRound: boolean;
}

/** The provider's answer: the listed model, its own (cheaper) one, or none (HTTP 503). */
export type Reply = "listed" | "own" | "refused";

/** How each strategy answers a request it sees as `request`. */
export function replyOf(strategy: ProviderStrategy, request: RequestSeen): Reply {
  switch (strategy) {
    case "honest":
      return "listed";
    case "degraded":
    case "random":
    // Issue 17's cheaters serve their own model throughout (a self-delisting provider once it switches; until then it
    // serves as an honest one). A griefer's own listing is its business: its model is the listed one.
    case "capture-partner":
    case "p-epsilon":
    case "self-delisting":
    // Issue 18's: a late-cheater once it switches (until then it serves as an honest one); a relister throughout.
    case "late-cheater":
    case "relister":
    case "fresh-hash-relister":
      return "own";
    case "griefer":
      return "listed";
    case "validator-aware":
      // The listed model to validators, the cheaper one to everyone else.
      return request.fromKnownValidator ? "listed" : "own";
    case "honest-during-rounds":
      // The listed model only while someone may be measuring it.
      return request.duringRound ? "listed" : "own";
    case "stonewall":
      // Validators get no answer at all; consumers the cheaper model.
      return request.fromKnownValidator ? "refused" : "own";
    case "price-hike":
      // Drains validators through its price (below) and passes their rounds with the listed model.
      return request.fromKnownValidator ? "listed" : "own";
  }
}

/** Whether the strategy raises its price (ListingRegistry.updatePrice) just before validators buy their samples. */
export function hikesPriceBeforeSampling(strategy: ProviderStrategy): boolean {
  return strategy === "price-hike";
}

/** A stream of requests as served: the share answered, and the mean quality and serving cost of the answered ones. */
export interface Served {
  answeredShare: number;
  /** Share of the answered requests that the listed model answered. */
  listedShare: number;
  qualityBps: number;
  costPerCall: number;
}

/**
 * What a stream of requests receives when `roundShare` of them arrive while a round is open on the listing (the
 * rest outside rounds). Consumers call at any time; probes from an unrecognizable buyer do too; recognizable probes
 * arrive only inside a round's commit window (roundShare 1).
 */
export function serve(
  e: Economics,
  strategy: ProviderStrategy,
  fromKnownValidator: boolean,
  roundShare: number,
): Served {
  const parts: { weight: number; reply: Reply }[] = [
    { weight: roundShare, reply: replyOf(strategy, { fromKnownValidator, duringRound: true }) },
    { weight: 1 - roundShare, reply: replyOf(strategy, { fromKnownValidator, duringRound: false }) },
  ];
  let answered = 0;
  let listed = 0;
  let quality = 0;
  let cost = 0;
  for (const { weight, reply } of parts) {
    if (weight <= 0 || reply === "refused") continue;
    const model: ProviderStrategy = reply === "listed" ? "honest" : strategy;
    answered += weight;
    if (reply === "listed") listed += weight;
    quality += weight * e.providerQualityBps[model];
    cost += weight * e.providerCostPerCall[model];
  }
  return answered === 0
    ? { answeredShare: 0, listedShare: 0, qualityBps: 0, costPerCall: 0 }
    : {
        answeredShare: answered,
        listedShare: listed / answered,
        qualityBps: quality / answered,
        costPerCall: cost / answered,
      };
}

/** What consumers receive from a strategy (and so what audits of their calls see). */
export function consumerService(e: Economics, strategy: ProviderStrategy, roundShare: number): Served {
  return serve(e, strategy, false, roundShare);
}

/** What a validator's probes receive: recognizable probes are sent inside a round, others at random times. */
export function probeService(e: Economics, strategy: ProviderStrategy, roundShare: number): Served {
  return e.probesRecognizable ? serve(e, strategy, true, 1) : serve(e, strategy, false, roundShare);
}
