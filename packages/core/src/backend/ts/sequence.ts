import type { SequenceBackwardArgs, SequenceForwardArgs, SequenceForwardResult, SequenceGrads } from '../contract.js';
import { gruBackward, gruForward, type GruCache } from './gru-cell.js';
import { lstmBackward, lstmForward, type LstmCache } from './lstm-cell.js';
import { mguBackward, mguForward, type MguCache } from './mgu-cell.js';
import { rnnBackward, rnnForward, type RnnCache } from './rnn-cell.js';
import { checkBackwardArgs, checkForwardArgs } from './sequence-validate.js';

/**
 * Whole-sequence recurrent kernels of the TypeScript backend: validate, then run the cell's
 * forward or backward (each in its own file, forward beside backward).
 */

export function sequenceForward(args: SequenceForwardArgs): SequenceForwardResult {
  checkForwardArgs('sequenceForward', args);
  const { cell } = args;
  switch (cell.kind) {
    case 'rnn':
      return rnnForward(args, cell.activation);
    case 'lstm':
      return lstmForward(args, cell.variant);
    case 'gru':
      return gruForward(args, cell.resetAfter);
    case 'mgu':
      return mguForward(args);
  }
}

export function sequenceBackward(args: SequenceBackwardArgs): SequenceGrads {
  // The check also guarantees the cache's kind and variant match args.forward.cell.
  const cache = checkBackwardArgs('sequenceBackward', args);
  const { cell } = args.forward;
  switch (cell.kind) {
    case 'rnn':
      return rnnBackward(args, cell.activation, cache as RnnCache);
    case 'lstm':
      return lstmBackward(args, cell.variant, cache as LstmCache);
    case 'gru':
      return gruBackward(args, cell.resetAfter, cache as GruCache);
    case 'mgu':
      return mguBackward(args, cache as MguCache);
  }
}
