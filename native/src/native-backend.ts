import type {
  Backend,
  DType,
  FloatArray,
  GemmArgs,
  SequenceBackwardArgs,
  SequenceForwardArgs,
  SequenceForwardResult,
  SequenceGrads,
  SoftmaxCrossEntropyResult,
  UnaryOp,
} from '@recurrent/core';
import type { Isa, NativeBinding } from './binding.js';

/**
 * The Backend of the contract over the addon, float32 only. Arguments go to C++ as they are
 * (typed arrays are read in place, no copies); the addon validates them and throws a TypeError
 * naming the expected Float32Array when given a Float64Array.
 */
export class NativeBackend implements Backend {
  readonly name = 'native';
  readonly dtypes: readonly DType[] = ['float32'];

  constructor(readonly binding: NativeBinding) {}

  /** The ISA level the kernels run at now. */
  get isa(): Isa {
    return this.binding.isa();
  }
  /** The levels this CPU supports, best first. */
  get availableIsas(): Isa[] {
    return this.binding.availableIsas();
  }
  /** Forces a level (at most the best available), e.g. to compare kernels. */
  setIsa(isa: Isa): void {
    this.binding.setIsa(isa);
  }
  /** Threads that split the work of one call (the calling thread included). */
  get threads(): number {
    return this.binding.threads();
  }
  setThreads(n: number): void {
    this.binding.setThreads(n);
  }

  sequenceForward(args: SequenceForwardArgs): SequenceForwardResult {
    return this.binding.sequenceForward(args);
  }
  sequenceBackward(args: SequenceBackwardArgs): SequenceGrads {
    return this.binding.sequenceBackward(args);
  }
  /** sequenceForward on a worker thread: the event loop stays free. Inputs are copied first. */
  async sequenceForwardAsync(args: SequenceForwardArgs): Promise<SequenceForwardResult> {
    return this.binding.sequenceForwardAsync(args); // async: a validation error becomes a rejection
  }
  /** sequenceBackward on a worker thread. */
  async sequenceBackwardAsync(args: SequenceBackwardArgs): Promise<SequenceGrads> {
    return this.binding.sequenceBackwardAsync(args);
  }
  gemm(args: GemmArgs): void {
    this.binding.gemm(args);
  }
  addBias(x: FloatArray, bias: FloatArray, R: number, C: number): FloatArray {
    return this.binding.addBias(x as Float32Array, bias as Float32Array, R, C);
  }
  sumRows(x: FloatArray, R: number, C: number): FloatArray {
    return this.binding.sumRows(x as Float32Array, R, C);
  }
  unary(op: UnaryOp, x: FloatArray): FloatArray {
    return this.binding.unary(op, x as Float32Array);
  }
  unaryBackward(op: UnaryOp, x: FloatArray, y: FloatArray, dy: FloatArray): FloatArray {
    return this.binding.unaryBackward(op, x as Float32Array, y as Float32Array, dy as Float32Array);
  }
  softmax(x: FloatArray, R: number, C: number): FloatArray {
    return this.binding.softmax(x as Float32Array, R, C);
  }
  softmaxBackward(y: FloatArray, dy: FloatArray, R: number, C: number): FloatArray {
    return this.binding.softmaxBackward(y as Float32Array, dy as Float32Array, R, C);
  }
  softmaxCrossEntropy(logits: FloatArray, targets: Int32Array, mask: FloatArray | null, N: number, C: number): SoftmaxCrossEntropyResult {
    return this.binding.softmaxCrossEntropy(logits as Float32Array, targets, mask as Float32Array | null, N, C);
  }
  embeddingForward(table: FloatArray, ids: Int32Array, V: number, E: number): FloatArray {
    return this.binding.embeddingForward(table as Float32Array, ids, V, E);
  }
  embeddingBackward(dTable: FloatArray, ids: Int32Array, dOut: FloatArray, V: number, E: number): void {
    this.binding.embeddingBackward(dTable as Float32Array, ids, dOut as Float32Array, V, E);
  }
}
