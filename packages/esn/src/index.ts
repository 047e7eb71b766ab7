export { EchoStateNetwork, EsnFitter, readoutRows, type EsnOptions, type FitOptions, type GenerateOptions, type RunOptions } from './esn.js';
export { Reservoir, type Activation, type ReservoirConfig, type ReservoirOptions, type ReservoirWeights } from './reservoir.js';
export { RidgeAccumulator, type RidgeSolveOptions } from './ridge.js';
export { RlsReadout, type RlsOptions } from './rls.js';
export { searchHyperparameters, formatSearchTable, type SearchData, type SearchRow, type SearchSpace } from './search.js';
export { mackeyGlass, type MackeyGlassOptions } from './mackey-glass.js';
export { nrmse, closedLoopNrmse, type ClosedLoopOptions, type ClosedLoopResult } from './evaluate.js';
export { spectralRadius, dominantEigenvalue, type SpectralRadiusOptions, type SpectralRadiusResult } from './spectral-radius.js';
export { choleskyInPlace, choleskySolveInPlace, type CholeskyFailure } from './linalg/cholesky.js';
export { denseEigenvalues, denseSpectralRadius, type Eigenvalues } from './linalg/hessenberg-qr.js';
export { csrMatVec, csrToDense, csrFromDense, csrScaled, csrNnz, checkCsr, type CsrMatrix, type FloatArray } from './csr.js';
export { randomSparseMatrix, randomDenseMatrix, WEIGHT_DISTRIBUTIONS, type WeightDistribution, type Precision } from './init.js';
export {
  setEsnKernels,
  getEsnKernels,
  harvestTs,
  accumulateGramTs,
  choleskySolve,
  choleskySolveTs,
  BUILTIN_ACTIVATIONS,
  type EsnKernels,
  type HarvestArgs,
  type GramArgs,
  type CholeskyArgs,
  type BuiltinActivation,
} from './kernels.js';
export { saveEsn, loadEsn, serializeEsn, deserializeEsn } from './io.js';
export { NotFittedError, SingularSystemError, EsnShapeError } from './errors.js';
export { toSeries, type SeriesInput, type Series } from './series.js';
