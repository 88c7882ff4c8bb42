// The whole system (governance + marketplace) as the marketplace tests see it, with the registry's challenge and
// validation roles and the pool's slasher role held by plain accounts, and a MarketHelper (scripts/drivers/market.ts).
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { MaxUint256, parseEther, Signature } from "ethers";
import { LOCAL_CONFIG } from "../../deploy/config.js";
import { deployCuria } from "../../deploy/system.js";
import { MarketHelper } from "../../scripts/drivers/market.js";
import type { CurationPool, CuriaToken, ListingRegistry } from "../../types/ethers-contracts/index.js";

export { MarketHelper } from "../../scripts/drivers/market.js";

export const marketConnection = await hre.network.create();
export const { ethers: mEthers, networkHelpers: mHelpers } = marketConnection;

export const MARKET = LOCAL_CONFIG.marketplace.market;
export const CURATION = LOCAL_CONFIG.marketplace.curation;
export const PRICE = parseEther("2");
export const BOND = MARKET.minBond;
/** The registry's PAUSE_GUARDIAN_TERM (a private constant, to keep the registry's bytes). */
export const PAUSE_GUARDIAN_TERM = 365n * 24n * 3600n;

export interface MarketFixture {
  deployer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  rival: HardhatEthersSigner;
  consumer: HardhatEthersSigner;
  curatorA: HardhatEthersSigner;
  curatorB: HardhatEthersSigner;
  /** Holds the registry's challenge role and the pool's slasher role (ListingChallenges in the real system). */
  challenges: HardhatEthersSigner;
  validation: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  /** The timelock as a signer, to set governed roles without a full proposal in unit tests. */
  asTimelock: HardhatEthersSigner;
  token: CuriaToken;
  registry: ListingRegistry;
  curationPool: CurationPool;
  treasury: string;
  market: MarketHelper;
}

export async function deployMarketFixture(): Promise<MarketFixture> {
  const signers = await mEthers.getSigners();
  const [deployer, provider, rival, consumer, curatorA, curatorB, challenges, validation, outsider] = signers;
  if (outsider === undefined || deployer === undefined) throw new Error("the in-process chain needs 9 accounts");
  const system = await deployCuria({ hre, connection: marketConnection, config: LOCAL_CONFIG });
  const { token, registry, curationPool, timelock } = system;
  const treasury = await timelock.getAddress();
  await mHelpers.setBalance(treasury, parseEther("10"));
  const asTimelock = await mEthers.getImpersonatedSigner(treasury);
  await registry.connect(asTimelock).setChallengeRole(challenges!.address);
  await registry.connect(asTimelock).setValidationRole(validation!.address);
  await curationPool.connect(asTimelock).setSlasher(challenges!.address);

  for (const account of [provider, rival, consumer, curatorA, curatorB, outsider]) {
    await token.connect(deployer).transfer(account!.address, parseEther("1000000"));
    await token.connect(account!).approve(await registry.getAddress(), MaxUint256);
    await token.connect(account!).approve(await curationPool.getAddress(), MaxUint256);
  }
  return {
    deployer,
    provider: provider!,
    rival: rival!,
    consumer: consumer!,
    curatorA: curatorA!,
    curatorB: curatorB!,
    challenges: challenges!,
    validation: validation!,
    outsider,
    asTimelock,
    token,
    registry,
    curationPool,
    treasury,
    market: new MarketHelper(registry, curationPool, mHelpers),
  };
}

/** `owner`'s ERC-2612 permit for `spender` to take `value` of the token until `deadline`, signed on the test chain. */
export async function signPermit(
  token: CuriaToken,
  owner: HardhatEthersSigner,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<Signature> {
  const { chainId } = await mEthers.provider.getNetwork();
  const domain = { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() };
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const nonce = await token.nonces(owner.address);
  return Signature.from(
    await owner.signTypedData(domain, types, { owner: owner.address, spender, value, nonce, deadline }),
  );
}
