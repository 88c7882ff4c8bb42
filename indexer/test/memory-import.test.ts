// Mapping modules compiled with an imported memory (wasm/memory-import.ts): the module is the same but for where its
// memory comes from, and an instance on a memory that a replaced instance dirtied starts exactly as on a fresh one.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../scripts/drivers/local-chain.js";
import { MappingInstance, type MappingContext } from "../src/wasm/host.js";
import { compileMapping, withImportedMemory } from "../src/wasm/memory-import.js";

const wasmPath = join(REPO_ROOT, "subgraph", "build", "CuriaToken", "CuriaToken.wasm");

function context(): MappingContext {
  return {
    store: {
      get: () => undefined,
      getInBlock: () => undefined,
      set: () => {},
      remove: () => {},
      loadRelated: () => [],
    },
    dataSourceAddress: "0x0000000000000000000000000000000000000001",
    network: "hardhat",
    log: () => {},
  };
}

describe("mapping modules with an imported memory", () => {
  const original: Uint8Array<ArrayBuffer> = new Uint8Array(readFileSync(wasmPath));

  it("imports its memory as env.memory instead of defining it, and keeps every other import and export", () => {
    const before = new WebAssembly.Module(original);
    const after = new WebAssembly.Module(withImportedMemory(original)!.bytes);
    expect(WebAssembly.Module.imports(before).some((i) => i.kind === "memory")).to.equal(false);
    expect(WebAssembly.Module.imports(after)).to.deep.equal([
      ...WebAssembly.Module.imports(before),
      { module: "env", name: "memory", kind: "memory" },
    ]);
    expect(WebAssembly.Module.exports(after)).to.deep.equal(WebAssembly.Module.exports(before));
    // A module that already imports its memory (or has none) is left as it is.
    expect(withImportedMemory(withImportedMemory(original)!.bytes)).to.equal(undefined);
  });

  it("starts an instance on a reused memory exactly as on a fresh one", () => {
    const module = compileMapping(original);
    const fresh = new MappingInstance(module, context());
    const freshBytes = new Uint8Array(fresh.importedMemory!.buffer).slice();

    const used = new MappingInstance(module, context());
    // The replaced instance's heap, written all over (as handlers leave it), and grown well past its initial size.
    const memory = used.importedMemory!;
    memory.grow(64);
    const dirty = new Uint8Array(memory.buffer);
    dirty.fill(0xab, 0, dirty.length - 65536);
    // What release() reports: the heap's top, from one more allocation; here everything written lies below it.
    const released = { memory, top: dirty.length - 65536 };
    const reused = new MappingInstance(module, context(), released);
    expect(reused.importedMemory).to.equal(memory);
    const after = new Uint8Array(memory.buffer);
    expect(Buffer.compare(after.subarray(0, freshBytes.length), freshBytes)).to.equal(0);
    expect(after.subarray(freshBytes.length).every((b) => b === 0)).to.equal(true);
  });

  it("reports the heap's top on release: the address the runtime allocates from next", () => {
    const module = compileMapping(original);
    const instance = new MappingInstance(module, context());
    const first = instance.release()!;
    const second = instance.release()!;
    // Each release allocates an empty object: the top moves up by one object's header and block.
    expect(second.top).to.be.greaterThan(first.top);
    expect(second.top - first.top).to.be.lessThan(64);
    expect(first.memory).to.equal(instance.importedMemory);
  });
});
