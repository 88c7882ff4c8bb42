import { describe, expect, it } from "vitest";
import { roundPhase, type ValidationRoundRow } from "./validators";

const NOW = 1_000_000n;
type PhaseFields = Pick<
  ValidationRoundRow,
  "status" | "commitEnd" | "revealEnd" | "committedCount" | "revealedCount" | "seats"
>;
function round(fields: Partial<PhaseFields>): PhaseFields {
  return {
    status: "Voting",
    commitEnd: "1000600",
    revealEnd: "1001200",
    committedCount: 0,
    revealedCount: 0,
    seats: 3,
    ...fields,
  };
}

describe("validation round phases on the rounds page", () => {
  it("Commit while members are still to commit, Reveal once the window closes", () => {
    expect(roundPhase(round({ committedCount: 2 }), NOW)).toBe("Commit");
    expect(roundPhase(round({ committedCount: 2 }), 1_000_600n)).toBe("Reveal");
  });

  it("moves to Reveal as soon as every member committed, as the contract does", () => {
    expect(roundPhase(round({ committedCount: 3 }), NOW)).toBe("Reveal");
  });

  it("is Finalizable as soon as every commitment is revealed, or when the reveal window is over", () => {
    expect(roundPhase(round({ committedCount: 3, revealedCount: 3 }), NOW)).toBe("Finalizable");
    expect(roundPhase(round({ committedCount: 3, revealedCount: 2 }), NOW)).toBe("Reveal");
    expect(roundPhase(round({ committedCount: 3, revealedCount: 2 }), 1_001_200n)).toBe("Finalizable");
  });

  it("counts seats, not members: a member holding two of three seats must commit for both", () => {
    // Two members, three seats: the second member's commitment counts twice.
    expect(roundPhase(round({ seats: 3, committedCount: 2 }), NOW)).toBe("Commit");
    expect(roundPhase(round({ seats: 3, committedCount: 3 }), NOW)).toBe("Reveal");
  });

  it("takes Drawing, Finalized and Cancelled from the indexed status", () => {
    expect(roundPhase(round({ status: "Drawing", commitEnd: null, revealEnd: null, seats: 0 }), NOW)).toBe("Drawing");
    expect(roundPhase(round({ status: "Finalized" }), NOW)).toBe("Finalized");
    expect(roundPhase(round({ status: "Cancelled", commitEnd: null, revealEnd: null, seats: 0 }), NOW)).toBe(
      "Cancelled",
    );
  });
});
