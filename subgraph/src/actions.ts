// Decodes a proposal's calldata when its selector is a function of a Curia contract (or the OpenZeppelin functions
// they inherit), so that a reader sees `setVotingDelay(uint48)` with `["86400"]` instead of raw bytes.
import { ByteArray, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";

/** Functions a proposal is expected to call. New contracts add their governed setters here. */
const KNOWN_FUNCTIONS: Array<string> = [
  // CuriaGovernor (GovernorSettings, VotesQuorumFraction, PreventLateQuorum, ProposalGuardian, TimelockControl)
  "setVotingDelay(uint48)",
  "setVotingPeriod(uint32)",
  "setProposalThreshold(uint256)",
  "updateQuorumNumerator(uint256)",
  "setLateQuorumVoteExtension(uint48)",
  "setProposalGuardian(address)",
  "setProposalGuardianTerm(uint48)",
  "updateTimelock(address)",
  "relay(address,uint256,bytes)",
  // CuriaTimelock
  "updateDelay(uint256)",
  "grantRole(bytes32,address)",
  "revokeRole(bytes32,address)",
  // CuriaToken
  "mint(address,uint256)",
  "transfer(address,uint256)",
  "approve(address,uint256)",
  "transferOwnership(address)",
  // ListingRegistry
  "setMinBond(uint128)",
  "setApplicationPeriod(uint32)",
  "setWithdrawalDelay(uint32)",
  "setProtocolFee(uint16)",
  "setFeeShares(uint16,uint16,uint16)",
  "setDefaultQuality(uint16)",
  "setValidationRole(address)",
  "setChallengeRole(address)",
  "setValidatorRewardPool(address)",
  "setPauseGuardian(address)",
  "setMarketPaused(bool)",
  // CurationPool
  "setMinStake(uint128)",
  "setThawingPeriod(uint32)",
  "setSlashBps(uint16)",
  "setSlasher(address)",
  // Court
  "setParameters((uint128,uint128,uint128,uint32,uint32,uint32,uint16,uint8,uint16))",
  "setArbitrable(address,bool)",
  "ruleAsDao(uint256,uint8)",
  // ListingChallenges
  "setParameters((uint128,uint16,uint16,uint16))",
  "setListingMetaEvidence(string)",
  "setEvidenceBaseURI(string)",
  // ValidationManager
  "setParameters((uint128,uint128,uint32,uint32,uint32,uint8,uint8,uint16,uint16,uint16,uint16))",
  "setChallenges(address)",
  // StakePool (JurorPool, ValidatorPool)
  "setParameters((uint128,uint32))",
  "setManager(address)",
  // Court and ValidationManager
  "setRandomnessSource(address)",
  // Any UUPS proxy
  "upgradeToAndCall(address,bytes)",
  "setParameters((uint128,uint128,uint32,uint32,uint32,uint8,uint8,uint16,uint16,uint16,uint16,uint32,uint16))",
  "setAuditor(address)",
  "setOperator(address)",
  "setParameters((uint32,uint16,uint32,uint128))",
  "withdrawBounties(uint256)",
];

export class DecodedCall {
  constructor(
    public signature: string | null,
    public args: Array<string>,
  ) {}
}

function selectorOf(signature: string): Bytes {
  const hash = crypto.keccak256(ByteArray.fromUTF8(signature));
  return Bytes.fromUint8Array(hash.subarray(0, 4));
}

/** Renders an ABI value the way the schema documents: decimal numbers, 0x-hex addresses and bytes. */
export function renderValue(value: ethereum.Value): string {
  switch (value.kind) {
    case ethereum.ValueKind.ADDRESS:
      return value.toAddress().toHexString();
    case ethereum.ValueKind.INT:
    case ethereum.ValueKind.UINT:
      return value.toBigInt().toString();
    case ethereum.ValueKind.BOOL:
      return value.toBoolean() ? "true" : "false";
    case ethereum.ValueKind.STRING:
      return value.toString();
    case ethereum.ValueKind.BYTES:
    case ethereum.ValueKind.FIXED_BYTES:
      return value.toBytes().toHexString();
    default: {
      // Arrays and tuples: render each element.
      const items = value.kind == ethereum.ValueKind.TUPLE ? value.toTuple() : value.toArray();
      const parts = new Array<string>(0);
      for (let i = 0; i < items.length; i++) parts.push(renderValue(items[i]));
      return "[" + parts.join(",") + "]";
    }
  }
}

export function decodeCall(calldata: Bytes): DecodedCall {
  if (calldata.length < 4) return new DecodedCall(null, []);
  const selector = Bytes.fromUint8Array(calldata.subarray(0, 4));
  for (let i = 0; i < KNOWN_FUNCTIONS.length; i++) {
    const signature = KNOWN_FUNCTIONS[i];
    if (selectorOf(signature) != selector) continue;
    const argumentTypes = signature.substring(signature.indexOf("("));
    const decoded = ethereum.decode(argumentTypes, Bytes.fromUint8Array(calldata.subarray(4)));
    // Matching selector but undecodable arguments: name the function, leave the arguments empty.
    if (decoded == null) return new DecodedCall(signature, []);
    const values = decoded.toTuple();
    const args = new Array<string>(0);
    for (let j = 0; j < values.length; j++) args.push(renderValue(values[j]));
    return new DecodedCall(signature, args);
  }
  return new DecodedCall(null, []);
}
