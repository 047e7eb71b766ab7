import type { DType } from '../../dtype.js';
import type { Backend } from '../contract.js';
import * as dense from './dense.js';
import { gemm } from './gemm.js';
import { sequenceBackward, sequenceForward } from './sequence.js';

/** The TypeScript backend: the reference implementation of the contract, float32 and float64. */
export class TsBackend implements Backend {
  readonly name = 'ts';
  readonly dtypes: readonly DType[] = ['float32', 'float64'];
  readonly sequenceForward = sequenceForward;
  readonly sequenceBackward = sequenceBackward;
  readonly gemm = gemm;
  readonly addBias = dense.addBias;
  readonly sumRows = dense.sumRows;
  readonly unary = dense.unary;
  readonly unaryBackward = dense.unaryBackward;
  readonly softmax = dense.softmax;
  readonly softmaxBackward = dense.softmaxBackward;
  readonly softmaxCrossEntropy = dense.softmaxCrossEntropy;
  readonly embeddingForward = dense.embeddingForward;
  readonly embeddingBackward = dense.embeddingBackward;
}
