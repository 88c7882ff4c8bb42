// Typed ethers v6 bindings of every contract (factories and contract types), written by `hardhat build` (typechain)
// into the repository's types/ethers-contracts. Programs import them from here, never from that folder.
export * from "../../../types/ethers-contracts/index.js";
