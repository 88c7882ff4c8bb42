// Writes an MLP as an ONNX model (IR 8, opset 13): input "input" [N, 784] float → Gemm → Relu → Gemm → Softmax →
// output "probabilities" [N, 10]. Weights are stored as raw little-endian float32 initializers, so the same weights
// always give the same bytes (and the same content hash).
import onnxProto from "onnx-proto";
import { CLASSES, INPUT_SIZE } from "./dataset.js";
import type { MlpWeights } from "./mlp.js";

const { onnx } = onnxProto;

export const INPUT_NAME = "input";
export const OUTPUT_NAME = "probabilities";
export const OPSET = 13;

function tensor(name: string, dims: number[], data: Float32Array): onnxProto.onnx.ITensorProto {
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function valueInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** The ONNX bytes of `weights`; `name` and `doc` go into the graph name and doc string. */
export function mlpToOnnx(weights: MlpWeights, name: string, doc: string): Uint8Array {
  const H = weights.hidden;
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    producerName: "curia-validator",
    producerVersion: "0.1.0",
    opsetImport: [{ domain: "", version: OPSET }],
    docString: doc,
    graph: {
      name,
      node: [
        { opType: "Gemm", input: [INPUT_NAME, "w1", "b1"], output: ["z1"], name: "dense1" },
        { opType: "Relu", input: ["z1"], output: ["h1"], name: "relu1" },
        { opType: "Gemm", input: ["h1", "w2", "b2"], output: ["logits"], name: "dense2" },
        {
          opType: "Softmax",
          input: ["logits"],
          output: [OUTPUT_NAME],
          name: "softmax",
          attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        },
      ],
      initializer: [
        tensor("w1", [INPUT_SIZE, H], weights.w1),
        tensor("b1", [H], weights.b1),
        tensor("w2", [H, CLASSES], weights.w2),
        tensor("b2", [CLASSES], weights.b2),
      ],
      input: [valueInfo(INPUT_NAME, ["batch", INPUT_SIZE])],
      output: [valueInfo(OUTPUT_NAME, ["batch", CLASSES])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
