import type { FloatArray } from '../../dtype.js';
import { OptionError, ShapeError } from '../../errors.js';
import { gateCount, type CellSpec, type SequenceBackwardArgs, type SequenceForwardArgs } from '../contract.js';
import { parseOption } from '../../schema/schema.js';
import { cellSpecSchema, LSTM_FLAGS } from '../cell-schema.js';
import type { TsCacheBase } from './sequence-common.js';

/**
 * Argument checks of the whole-sequence kernels. The contract lets kernels trust their caller,
 * but a wrong length here would read past a buffer silently (typed arrays yield undefined → NaN),
 * so every buffer is checked against T, B, I, H and the gate count once per call.
 */

/** The cell spec as canonical text: equal for specs that compute the same function. */
export function cellKey(cell: CellSpec): string {
  switch (cell.kind) {
    case 'rnn':
      return `rnn:${cell.activation}`;
    case 'lstm':
      return `lstm${LSTM_FLAGS.filter((f) => cell.variant[f]).map((f) => `+${f}`).join('')}`;
    case 'gru':
      return `gru:${cell.resetAfter ? 'resetAfter' : 'resetBefore'}`;
    case 'mgu':
      return 'mgu';
  }
}

function checkCell(where: string, cell: unknown): asserts cell is CellSpec {
  parseOption(where, 'cell', cellSpecSchema, cell);
}

function checkDim(where: string, name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ShapeError(`${where}: ${name} must be a positive integer, got ${String(v)}`);
}

function typeName(a: unknown): string {
  if (a === null) return 'null';
  if (a === undefined) return 'undefined';
  return (a as object).constructor?.name ?? typeof a;
}

/** Checks a buffer's type and length; `shape` names the expected shape for the message. */
function checkBuffer(where: string, name: string, a: unknown, ctor: typeof Float32Array | typeof Float64Array, length: number, shape: string): void {
  if (!(a instanceof ctor)) {
    throw new ShapeError(`${where}: ${name} is ${typeName(a)}, expected a ${ctor.name} ${shape} (length ${length}) like x`);
  }
  if (a.length !== length) throw new ShapeError(`${where}: ${name} has length ${a.length}, expected ${length} = ${shape}`);
}

function checkOptional(where: string, name: string, a: unknown, ctor: typeof Float32Array | typeof Float64Array, length: number, shape: string): void {
  if (a !== null) checkBuffer(where, name, a, ctor, length, `${shape} or null`);
}

function checkAbsent(where: string, name: string, a: unknown, why: string): void {
  if (a !== null) throw new ShapeError(`${where}: ${name} must be null (${why}), got ${typeName(a)} of length ${(a as FloatArray).length}`);
}

export function checkForwardArgs(where: string, args: SequenceForwardArgs): void {
  if (typeof args !== 'object' || args === null) throw new OptionError(`${where}: expected an arguments object, got ${String(args)}`);
  const { T, B, I, H, cell, x, weights, h0, c0 } = args;
  checkDim(where, 'T', T);
  checkDim(where, 'B', B);
  checkDim(where, 'I', I);
  checkDim(where, 'H', H);
  checkCell(where, cell);
  if (typeof args.reverse !== 'boolean') throw new OptionError(`${where}: reverse must be a boolean, got ${String(args.reverse)}`);
  if (typeof args.keepCache !== 'boolean') throw new OptionError(`${where}: keepCache must be a boolean, got ${String(args.keepCache)}`);
  if (!(x instanceof Float32Array || x instanceof Float64Array)) throw new ShapeError(`${where}: x is ${typeName(x)}, expected a Float32Array or Float64Array [T, B, I]`);
  const ctor = x instanceof Float32Array ? Float32Array : Float64Array;
  const G = gateCount(cell);
  const dims = `T=${T}, B=${B}, I=${I}, H=${H}, G=${G}`;
  checkBuffer(where, 'x', x, ctor, T * B * I, `[T, B, I] with ${dims}`);
  if (typeof weights !== 'object' || weights === null) throw new OptionError(`${where}: weights must be a CellWeights object, got ${String(weights)}`);
  checkBuffer(where, 'weights.wIh', weights.wIh, ctor, G * H * I, `[G*H, I] with ${dims}`);
  checkBuffer(where, 'weights.wHh', weights.wHh, ctor, G * H * H, `[G*H, H] with ${dims}`);
  checkOptional(where, 'weights.bIh', weights.bIh, ctor, G * H, `[G*H] with ${dims}`);
  checkOptional(where, 'weights.bHh', weights.bHh, ctor, G * H, `[G*H] with ${dims}`);
  const lstm = cell.kind === 'lstm';
  if (lstm && cell.variant.peephole) checkBuffer(where, 'weights.wPeep', weights.wPeep, ctor, 3 * H, `[3, H] with H=${H} (peephole)`);
  else checkAbsent(where, 'weights.wPeep', weights.wPeep, 'the cell has no peepholes');
  if (lstm && cell.variant.fullGateRecurrence) {
    checkBuffer(where, 'weights.wGateRec', weights.wGateRec, ctor, 9 * H * H, `[3H, 3H] with H=${H} (fullGateRecurrence)`);
  } else checkAbsent(where, 'weights.wGateRec', weights.wGateRec, 'the cell has no full gate recurrence');
  checkBuffer(where, 'h0', h0, ctor, B * H, `[B, H] with ${dims}`);
  if (lstm) checkBuffer(where, 'c0', c0, ctor, B * H, `[B, H] with ${dims} (lstm)`);
  else checkAbsent(where, 'c0', c0, `a ${cell.kind} cell has no cell state`);
}

/** Checks the backward's arguments and returns the cache as this backend's own. */
export function checkBackwardArgs(where: string, args: SequenceBackwardArgs): TsCacheBase {
  if (typeof args !== 'object' || args === null) throw new OptionError(`${where}: expected an arguments object, got ${String(args)}`);
  const fwd = args.forward;
  checkForwardArgs(`${where} (forward args)`, fwd);
  const cache = args.cache as TsCacheBase | null;
  if (typeof cache !== 'object' || cache === null) {
    throw new OptionError(`${where}: cache is ${typeName(cache)}, expected the cache of a forward run with keepCache: true`);
  }
  if (cache.backend !== 'ts') throw new OptionError(`${where}: cache comes from backend '${String(cache.backend)}', expected one from the 'ts' backend`);
  const { T, B, I, H, x } = fwd;
  const dtype = x instanceof Float32Array ? 'float32' : 'float64';
  const key = cellKey(fwd.cell);
  if (cache.cellKey !== key) throw new OptionError(`${where}: cache was made for cell ${cache.cellKey}, expected ${key}`);
  if (cache.T !== T || cache.B !== B || cache.I !== I || cache.H !== H || cache.dtype !== dtype || cache.reverse !== fwd.reverse) {
    throw new ShapeError(
      `${where}: cache was made for T=${cache.T}, B=${cache.B}, I=${cache.I}, H=${cache.H}, ${cache.dtype}, reverse=${cache.reverse}; ` +
        `expected T=${T}, B=${B}, I=${I}, H=${H}, ${dtype}, reverse=${fwd.reverse}`,
    );
  }
  const ctor = x instanceof Float32Array ? Float32Array : Float64Array;
  const dims = `T=${T}, B=${B}, H=${H}`;
  checkOptional(where, 'dy', args.dy, ctor, T * B * H, `[T, B, H] with ${dims}`);
  checkOptional(where, 'dhN', args.dhN, ctor, B * H, `[B, H] with ${dims}`);
  if (fwd.cell.kind === 'lstm') checkOptional(where, 'dcN', args.dcN, ctor, B * H, `[B, H] with ${dims}`);
  else checkAbsent(where, 'dcN', args.dcN, `a ${fwd.cell.kind} cell has no cell state`);
  return cache;
}
