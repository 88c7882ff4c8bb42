// The inference API's tensors on the wire (`inputsF32` / `outputsF32`): base64 of the float32 values' little-endian
// bytes (JSON numbers would cost ~5x the size and the time). Node (Buffer).
import { endianness } from "node:os";

const LITTLE_ENDIAN = endianness() === "LE";

export function f32ToBase64(values: Float32Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString("base64");
}

/** Decodes base64 little-endian float32 values; undefined when the byte count is not a multiple of 4. */
export function base64ToF32(text: string): Float32Array | undefined {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % 4 !== 0) return undefined;
  if (LITTLE_ENDIAN) {
    const out = new Float32Array(bytes.length / 4);
    new Uint8Array(out.buffer).set(bytes); // a copy: aligned, and independent of Buffer's shared pool
    return out;
  }
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/**
 * The little-endian float32 bytes of `values`: what `inputsF32` / `outputsF32` carry in base64, and what a receipt's
 * `inputHash` / `outputHash` hash (JSON `inputs` / `outputs` numbers are converted to float32 first).
 */
export function f32ToBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN)
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return new Uint8Array(bytes);
}

/** The float32 values of little-endian `bytes`; undefined when their count is not a multiple of 4. */
export function bytesToF32(bytes: Uint8Array): Float32Array | undefined {
  if (bytes.length % 4 !== 0) return undefined;
  const out = new Float32Array(bytes.length / 4);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}
