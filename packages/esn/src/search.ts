/**
 * A small grid search of the hyper-parameters that matter most for an ESN: spectral radius,
 * leak rate, input scaling and ridge. For each reservoir (ρ, a, s) the training states are
 * harvested and the normal equations accumulated once; every ridge value then costs one
 * Cholesky solve. The score is the one-step (teacher-forced) NRMSE on the validation set,
 * which continues the training sequence (the state carries over). Returns all rows, best first.
 */
import { EchoStateNetwork, type EsnOptions } from './esn.js';
import { EsnShapeError, checkKeys, checkNonNegativeInteger } from './errors.js';
import { toSeries, type SeriesInput } from './series.js';

export interface SearchSpace {
  spectralRadius?: readonly number[];
  leakRate?: readonly number[];
  inputScaling?: readonly number[];
  ridge?: readonly number[];
}

export interface SearchData {
  trainInputs: SeriesInput | null;
  trainTargets: SeriesInput;
  validInputs: SeriesInput | null;
  validTargets: SeriesInput;
  /** Washout of the training sequence (default 0). */
  washout?: number;
}

export interface SearchRow {
  spectralRadius: number;
  leakRate: number;
  inputScaling: number;
  ridge: number;
  /** Validation NRMSE (averaged over outputs); Infinity when the system was singular. */
  nrmse: number;
}

export function searchHyperparameters(base: EsnOptions, space: SearchSpace, data: SearchData): SearchRow[] {
  checkKeys('searchHyperparameters: space', space, ['spectralRadius', 'leakRate', 'inputScaling', 'ridge']);
  checkKeys('searchHyperparameters: data', data, ['trainInputs', 'trainTargets', 'validInputs', 'validTargets', 'washout']);
  const grid = (name: keyof SearchSpace, fallback: number): readonly number[] => {
    const v = space[name];
    if (v === undefined) return [fallback];
    if (!Array.isArray(v) || v.length === 0) throw new RangeError(`searchHyperparameters: space.${name} must be a non-empty array of numbers, got ${JSON.stringify(v)}`);
    return v;
  };
  const rhos = grid('spectralRadius', base.spectralRadius ?? 0.9);
  const leaks = grid('leakRate', base.leakRate ?? 1);
  const scalings = grid('inputScaling', typeof base.inputScaling === 'number' ? base.inputScaling : 1);
  const ridges = grid('ridge', base.ridge ?? 1e-8);
  const washout = checkNonNegativeInteger('searchHyperparameters', 'washout', data.washout ?? 0);
  const outputs = base.outputs ?? 1;
  const validY = toSeries('searchHyperparameters', 'validTargets', data.validTargets, outputs);
  const rows: SearchRow[] = [];
  for (const spectralRadius of rhos) {
    for (const leakRate of leaks) {
      for (const inputScaling of scalings) {
        const esn = new EchoStateNetwork({ ...base, spectralRadius, leakRate, inputScaling: base.inputs > 0 ? inputScaling : undefined });
        const fitter = esn.fitter({ washout });
        fitter.add(data.trainInputs, data.trainTargets);
        const X = esn.extendedStates(data.validInputs, data.validTargets); // [Tv, D]
        const d = esn.featureWidth;
        const T = validY.rows;
        if (X.length !== T * d) throw new EsnShapeError(`searchHyperparameters: validation inputs and targets disagree in length`);
        for (const ridge of ridges) {
          let score = Infinity;
          try {
            const w = fitter.normalEquations.solve({ ridge, regularizeBias: esn.regularizeBias }); // [O, D]
            score = 0;
            for (let o = 0; o < outputs; o++) {
              let mean = 0;
              for (let t = 0; t < T; t++) mean += validY.data[t * outputs + o];
              mean /= T;
              let err = 0;
              let v = 0;
              for (let t = 0; t < T; t++) {
                let s = 0;
                for (let k = 0; k < d; k++) s += w[o * d + k] * X[t * d + k];
                const target = validY.data[t * outputs + o];
                err += (s - target) ** 2;
                v += (target - mean) ** 2;
              }
              score += Math.sqrt(err / v) / outputs;
            }
            if (!Number.isFinite(score)) score = Infinity;
          } catch (e) {
            if (!(e instanceof Error && e.name === 'SingularSystemError')) throw e;
          }
          rows.push({ spectralRadius, leakRate, inputScaling, ridge, nrmse: score });
        }
      }
    }
  }
  return rows.sort((a, b) => a.nrmse - b.nrmse);
}

/** The ranked table as aligned text. */
export function formatSearchTable(rows: readonly SearchRow[]): string {
  const head = 'rank  spectralRadius  leakRate  inputScaling  ridge     nrmse';
  const lines = rows.map(
    (r, i) =>
      `${String(i + 1).padStart(4)}  ${r.spectralRadius.toPrecision(3).padStart(14)}  ${r.leakRate.toPrecision(3).padStart(8)}  ${r.inputScaling
        .toPrecision(3)
        .padStart(12)}  ${r.ridge.toExponential(0).padStart(6)}  ${Number.isFinite(r.nrmse) ? r.nrmse.toExponential(3) : 'singular'}`,
  );
  return [head, ...lines].join('\n');
}
