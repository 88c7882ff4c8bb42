// Compiling a mapping module so that its linear memory is handed to it rather than made by it: the module's own memory
// definition becomes an import (`env.memory`, same limits). A fresh instance is due whenever the stub runtime's memory
// fills up (it never frees), and a fresh memory costs a page fault per 4 KiB page the first time each is touched: on
// the virtual machines this runs on, faulting in the ~200 MB a backfill of 10,000 events allocates was about a quarter
// of the indexer's CPU time. A memory handed back by a replaced instance is cleared and given to the next one instead:
// clearing pages already mapped costs a fraction of faulting in new ones, and the instance starts as on a fresh memory
// (all zero, its data segments written at instantiation, its globals initialised).

/** A memory's limits in 64 KiB pages, as the module declared them. */
interface MemoryLimits {
  initial: number;
  maximum?: number;
}

/** A memory an instance is done with, and how far its heap reached (nothing beyond was written). */
export interface UsedMemory {
  memory: WebAssembly.Memory;
  top: number;
}

const limitsByModule = new WeakMap<WebAssembly.Module, MemoryLimits>();

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = at;
  for (;;) {
    const byte = bytes[next++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next };
    if (shift > 35) throw new Error("LEB128 value too long");
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

const IMPORT_SECTION = 2;
const MEMORY_SECTION = 5;
/** Import kind of a memory. */
const MEMORY_KIND = 0x02;
const ascii = (text: string) => [...writeLeb(text.length), ...Buffer.from(text, "ascii")];

/**
 * `wasm` with its one defined memory turned into the import `env.memory`, and that memory's limits; undefined when
 * the module has no memory of its own, or one this does not handle (several, shared, 64-bit).
 */
export function withImportedMemory(
  wasm: Uint8Array<ArrayBuffer>,
): { bytes: Uint8Array<ArrayBuffer>; limits: MemoryLimits } | undefined {
  if (wasm.length < 8) return undefined;
  const sections: { id: number; header: number; start: number; end: number }[] = [];
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at]!;
    const { value: size, next } = readLeb(wasm, at + 1);
    sections.push({ id, header: at, start: next, end: next + size });
    at = next + size;
  }
  const memory = sections.find((s) => s.id === MEMORY_SECTION);
  if (memory === undefined) return undefined;
  const { value: count, next: limitsAt } = readLeb(wasm, memory.start);
  const flags = wasm[limitsAt]!;
  if (count !== 1 || (flags !== 0x00 && flags !== 0x01)) return undefined;
  const { value: initial, next: afterInitial } = readLeb(wasm, limitsAt + 1);
  let maximum: number | undefined;
  let limitsEnd = afterInitial;
  if (flags === 0x01) ({ value: maximum, next: limitsEnd } = readLeb(wasm, afterInitial));
  if (limitsEnd !== memory.end) return undefined;
  const entry = [...ascii("env"), ...ascii("memory"), MEMORY_KIND, ...wasm.subarray(limitsAt, limitsEnd)];
  const imports = sections.find((s) => s.id === IMPORT_SECTION);
  let importBody: number[];
  if (imports === undefined) {
    importBody = [...writeLeb(1), ...entry];
  } else {
    const { value: importCount, next } = readLeb(wasm, imports.start);
    importBody = [...writeLeb(importCount + 1), ...wasm.subarray(next, imports.end), ...entry];
  }
  const importSection = [IMPORT_SECTION, ...writeLeb(importBody.length), ...importBody];
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let placed = false;
  for (const section of sections) {
    // Known sections keep their order (custom sections, id 0, may sit anywhere): the import section goes where it was,
    // or before the first known section that must follow it.
    if (!placed && (section.id === IMPORT_SECTION || (section.id > IMPORT_SECTION && section.id !== 0))) {
      parts.push(Uint8Array.from(importSection));
      placed = true;
    }
    if (section.id === IMPORT_SECTION || section.id === MEMORY_SECTION) continue;
    parts.push(wasm.subarray(section.header, section.end));
  }
  if (!placed) parts.push(Uint8Array.from(importSection));
  return { bytes: Buffer.concat(parts), limits: maximum === undefined ? { initial } : { initial, maximum } };
}

/** Compiles a mapping module with an imported memory where possible (see the top of this file). */
export function compileMapping(wasm: Uint8Array<ArrayBuffer>): WebAssembly.Module {
  const patched = withImportedMemory(wasm);
  if (patched === undefined) return new WebAssembly.Module(wasm);
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(patched.bytes);
  } catch {
    return new WebAssembly.Module(wasm);
  }
  limitsByModule.set(module, patched.limits);
  return module;
}

/**
 * The memory for a new instance of `module`: `reuse` (a replaced instance's memory, cleared up to where it was used)
 * when given, else a new one; undefined when the module makes its own.
 */
export function memoryFor(module: WebAssembly.Module, reuse?: UsedMemory): WebAssembly.Memory | undefined {
  const limits = limitsByModule.get(module);
  if (limits === undefined) return undefined;
  if (reuse !== undefined) {
    // Only what was used: the pages above were never touched (clearing them would fault them in).
    new Uint8Array(reuse.memory.buffer).fill(0, 0, Math.min(reuse.top, reuse.memory.buffer.byteLength));
    return reuse.memory;
  }
  return new WebAssembly.Memory(limits);
}
