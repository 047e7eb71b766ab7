/**
 * Writes an ONNX model of one forward LSTM layer (operator LSTM, opset 14) from weights in
 * recurrent's (PyTorch's) layout, so ONNX Runtime can run the same network as the other peers
 * without PyTorch being installed.
 *
 * Field numbers from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto).
 * Gate order: PyTorch i,f,g,o; ONNX i,o,f,c (c is PyTorch's g).
 */
import { Message } from './protobuf.mjs';

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT
const IR_VERSION = 8;
const OPSET = 14;

/** PyTorch block b of the ONNX gate order i,o,f,c. */
const ONNX_FROM_TORCH_BLOCK = [0, 3, 1, 2];

/** Reorders the gate blocks of a [4H, cols] matrix (or a [4H] vector, cols = 1) to i,o,f,c. */
export function torchToOnnxGates(src, H, cols) {
  const out = new Float32Array(src.length); // [4H, cols]
  const block = H * cols;
  ONNX_FROM_TORCH_BLOCK.forEach((from, to) => out.set(src.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

function tensor(name, dims, data) {
  const t = new Message();
  for (const d of dims) t.int(1, d); // dims
  t.int(2, FLOAT); // data_type
  t.string(8, name); // name
  t.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // raw_data, little endian
  return t;
}

/** ValueInfoProto of a float tensor; a dim given as a string is symbolic. */
function valueInfo(name, dims) {
  const shape = new Message();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new Message().string(2, d) : new Message().int(1, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/**
 * weights: { wIh [4H, I], wHh [4H, H], bIh [4H], bHh [4H] } as Float32Array, gate order i,f,g,o.
 * The model's input X is [T, B, I] with T and B symbolic; outputs Y [T, 1, B, H],
 * Y_h [1, B, H], Y_c [1, B, H]. Initial states are zero (inputs left out).
 */
export function lstmOnnxModel({ I, H, weights }) {
  const { wIh, wHh, bIh, bHh } = weights;
  const expect = (name, arr, n) => {
    if (!(arr instanceof Float32Array) || arr.length !== n) throw new TypeError(`lstmOnnxModel: ${name} must be a Float32Array of ${n} values, got ${arr?.constructor?.name} of ${arr?.length}`);
  };
  expect('wIh', wIh, 4 * H * I);
  expect('wHh', wHh, 4 * H * H);
  expect('bIh', bIh, 4 * H);
  expect('bHh', bHh, 4 * H);

  const W = torchToOnnxGates(wIh, H, I); // [1, 4H, I]
  const R = torchToOnnxGates(wHh, H, H); // [1, 4H, H]
  const Bias = new Float32Array(8 * H); // [1, 8H]  = [Wb (i,o,f,c), Rb (i,o,f,c)]
  Bias.set(torchToOnnxGates(bIh, H, 1), 0);
  Bias.set(torchToOnnxGates(bHh, H, 1), 4 * H);

  const node = new Message();
  for (const input of ['X', 'W', 'R', 'B']) node.string(1, input);
  for (const output of ['Y', 'Y_h', 'Y_c']) node.string(2, output);
  node.string(3, 'lstm0').string(4, 'LSTM');
  node.message(5, new Message().string(1, 'hidden_size').int(3, H).int(20, ATTR_INT));

  const graph = new Message();
  graph.message(1, node).string(2, 'lstm');
  graph.message(5, tensor('W', [1, 4 * H, I], W));
  graph.message(5, tensor('R', [1, 4 * H, H], R));
  graph.message(5, tensor('B', [1, 8 * H], Bias));
  graph.message(11, valueInfo('X', ['T', 'B', I]));
  graph.message(12, valueInfo('Y', ['T', 1, 'B', H]));
  graph.message(12, valueInfo('Y_h', [1, 'B', H]));
  graph.message(12, valueInfo('Y_c', [1, 'B', H]));

  const model = new Message();
  model.int(1, IR_VERSION).string(2, 'recurrent-bench');
  model.message(7, graph);
  model.message(8, new Message().string(1, '').int(2, OPSET)); // opset_import: default domain
  return model.encode();
}
