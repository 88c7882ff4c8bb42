import { describe, expect, it } from "vitest";
import { quorumProgress, quorumStatus, supportShares } from "./tally";

const CUR = 10n ** 18n;

describe("quorum math (GovernorCountingSimple)", () => {
  it("counts For + Abstain towards the quorum and never Against", () => {
    const defeated = { forVotes: 4n * CUR, againstVotes: 30n * CUR, abstainVotes: 6n * CUR, quorum: 20n * CUR };
    const q = quorumProgress(defeated);
    expect(q.counted).toBe(10n * CUR);
    expect(q.reached).toBe(false);
    // The scale is the quorum (For + Abstain fall short), so the mark sits at the end of the For + Abstain track,
    // whatever Against holds.
    expect(q.scale).toBe(20n * CUR);
    expect([q.forWidth, q.abstainWidth, q.quorumAt, q.ofQuorum]).toEqual([20, 30, 100, 50]);
    // Against's 30 CUR would have reached a quorum of 20 if it counted: it does not.
    expect(quorumProgress({ ...defeated, forVotes: 0n, abstainVotes: 0n }).reached).toBe(false);
  });

  it("reaches the quorum exactly at For + Abstain = quorum, with Abstain alone too", () => {
    expect(quorumProgress({ forVotes: 0n, againstVotes: 0n, abstainVotes: 20n, quorum: 20n }).reached).toBe(true);
    expect(quorumProgress({ forVotes: 10n, againstVotes: 99n, abstainVotes: 9n, quorum: 20n }).reached).toBe(false);
    const over = quorumProgress({ forVotes: 30n, againstVotes: 5n, abstainVotes: 10n, quorum: 20n });
    expect([over.scale, over.forWidth, over.abstainWidth, over.quorumAt, over.ofQuorum]).toEqual([
      40n,
      75,
      25,
      50,
      100,
    ]);
  });

  it("shares For against Against, Abstain taking no side", () => {
    expect(supportShares({ forVotes: 3n, againstVotes: 1n })).toEqual({ forShare: 75, againstShare: 25 });
    expect(supportShares({ forVotes: 0n, againstVotes: 0n })).toEqual({ forShare: 0, againstShare: 0 });
  });

  it("says met / not met once voting is closed, reached / not yet while it is open", () => {
    expect(quorumStatus(true, true)).toBe("Quorum met");
    expect(quorumStatus(false, true)).toBe("Quorum not met");
    expect(quorumStatus(true, false)).toBe("Quorum reached");
    expect(quorumStatus(false, false)).toBe("Not reached yet");
  });
});
