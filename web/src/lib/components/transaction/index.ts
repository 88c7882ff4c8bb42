export { default as Transaction } from "./transaction.svelte";
export { TransactionFlow, type TxPhase } from "./flow.svelte";
