import { OptionError } from '../errors.js';

/** Typed arrays hold at most 2^31 − 1 elements in every engine we support. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;
/** A larger single allocation is more likely a typo (hiddenSize: 1e6) than a plan. */
export const MAX_TENSOR_BYTES = 8 * 2 ** 30;

/**
 * Throws an OptionError naming `option` when a tensor of `shape` would exceed 2^31 − 1 elements
 * or 8 GiB, before anything is allocated (instead of "Invalid typed array length" from deep inside).
 */
export function checkTensorSize(where: string, option: string, shape: readonly number[], bytesPerElement: number, tensor = 'a tensor'): void {
  const elements = shape.reduce((a, b) => a * b, 1);
  const bytes = elements * bytesPerElement;
  if (elements <= MAX_TENSOR_ELEMENTS && bytes <= MAX_TENSOR_BYTES) return;
  const gib = (bytes / 2 ** 30).toPrecision(3);
  throw new OptionError(
    `${where}: option '${option}' makes ${tensor} of shape [${shape.join(', ')}] (${elements.toExponential(3)} elements, ${gib} GiB); ` +
      `expected at most ${MAX_TENSOR_ELEMENTS} elements and 8 GiB per tensor`,
    { where, option, value: shape, expected: `at most ${MAX_TENSOR_ELEMENTS} elements and 8 GiB per tensor` },
  );
}
