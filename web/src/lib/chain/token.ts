// CuriaToken (CUR): balances, voting power, delegation, allowances.
import { encodeFunctionData, type Address } from "viem";
import { curiaTokenAbi } from "@curia/protocol";
import { addressOf, type ChainContext, type TxRequest } from "./context";
import { formatCur, shortAddress } from "../format";

export interface TokenAccount {
  balance: bigint;
  votes: bigint;
  delegate: Address;
}

export async function readTokenAccount(ctx: ChainContext, account: Address): Promise<TokenAccount> {
  const address = addressOf(ctx, "CuriaToken");
  const [balance, votes, delegate] = await Promise.all([
    ctx.client.readContract({ address, abi: curiaTokenAbi, functionName: "balanceOf", args: [account] }),
    ctx.client.readContract({ address, abi: curiaTokenAbi, functionName: "getVotes", args: [account] }),
    ctx.client.readContract({ address, abi: curiaTokenAbi, functionName: "delegates", args: [account] }),
  ]);
  return { balance, votes, delegate };
}

export function readAllowance(ctx: ChainContext, owner: Address, spender: Address): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaToken"),
    abi: curiaTokenAbi,
    functionName: "allowance",
    args: [owner, spender],
  });
}

export function readTotalSupply(ctx: ChainContext): Promise<bigint> {
  return ctx.client.readContract({
    address: addressOf(ctx, "CuriaToken"),
    abi: curiaTokenAbi,
    functionName: "totalSupply",
  });
}

export function populateDelegateTx(ctx: ChainContext, delegatee: Address, self = false): TxRequest {
  return {
    to: addressOf(ctx, "CuriaToken"),
    data: encodeFunctionData({ abi: curiaTokenAbi, functionName: "delegate", args: [delegatee] }),
    description: self ? "Delegate your votes to yourself" : `Delegate your votes to ${shortAddress(delegatee)}`,
  };
}

export function populateApproveTx(ctx: ChainContext, spender: Address, amount: bigint, spenderName: string): TxRequest {
  return {
    to: addressOf(ctx, "CuriaToken"),
    data: encodeFunctionData({ abi: curiaTokenAbi, functionName: "approve", args: [spender, amount] }),
    description: `Allow the ${spenderName} to take ${formatCur(amount)}`,
  };
}

/** An approval first when the allowance falls short, then nothing: the steps to put before a transferFrom. */
export async function approvalSteps(
  ctx: ChainContext,
  owner: Address,
  spender: Address,
  amount: bigint,
  spenderName: string,
): Promise<TxRequest[]> {
  const allowance = await readAllowance(ctx, owner, spender);
  return allowance >= amount ? [] : [populateApproveTx(ctx, spender, amount, spenderName)];
}

/** Calldata for a treasury transfer (the timelock sends CUR): used by the proposal templates. */
export function encodeTransfer(to: Address, amount: bigint) {
  return encodeFunctionData({ abi: curiaTokenAbi, functionName: "transfer", args: [to, amount] });
}
