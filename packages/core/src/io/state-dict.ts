/** State dicts: a module's parameters by PyTorch name, loaded and saved as safetensors. */
import { formatShape, OptionError } from '../errors.js';
import { describeValue } from '../schema/describe.js';
import { object } from '../schema/object.js';
import { anyOf, bool, custom, finite, oneOf, record, string } from '../schema/primitives.js';
import { parse, parseArgument, type Infer } from '../schema/schema.js';
import type { Module } from '../layers/module.js';
import { sameShape, type Tensor } from '../tensor.js';
import { readSafetensorsFile, writeSafetensorsFile, type TensorToWrite } from './safetensors.js';

/** One entry of a state dict to load: a Tensor, a parsed safetensors tensor or a plain {shape, data}. */
export interface StateTensor {
  shape: readonly number[];
  data: ArrayLike<number> | BigInt64Array;
}

export type StateDictInput = Map<string, StateTensor> | Record<string, StateTensor>;

const namedTensors = custom<StateDictInput>('a Map or object of named tensors', (v) => v instanceof Map || (v !== null && typeof v === 'object' && !Array.isArray(v)));

export const loadStateDictOptionsSchema = object({
  /** Default true: any missing, unexpected or mismatched name throws and nothing is loaded. */
  strict: bool().default(true),
});
export type LoadStateDictOptions = Infer<typeof loadStateDictOptionsSchema>;

export interface LoadStateDictResult {
  /** Parameters that were overwritten. */
  loaded: string[];
  /** Parameters of the module that the state dict lacks (left unchanged). */
  missing: string[];
  /** Names in the state dict that the module does not have (ignored). */
  unexpected: string[];
  /** Names present on both sides whose tensor does not fit, each with the reason (left unchanged). */
  mismatched: Array<{ name: string; reason: string }>;
}

export class StateDictError extends Error {
  override name = 'StateDictError';
  constructor(
    message: string,
    readonly result: LoadStateDictResult,
  ) {
    super(message);
  }
}

/**
 * The module's parameters under their PyTorch names (`weight_ih_l0`, `encoder.bias_hh_l1_reverse`),
 * in registration order. The tensors are the live parameters, as in PyTorch: clone them for a snapshot.
 */
export function stateDict(module: Module): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, t] of module.namedParameters()) {
    if (out.has(name)) throw new Error(`stateDict: ${module.constructor.name} has two parameters named '${name}'; names must be unique`);
    out.set(name, t);
  }
  return out;
}

/**
 * Copies `tensors` into the module's parameters, casting to the parameter dtype. Everything is
 * checked before anything is written, so a failed load leaves the module as it was. Strict (the
 * default) throws one error listing every missing, unexpected and mismatched name; non-strict
 * loads what fits and returns the lists.
 */
export function loadStateDict(module: Module, tensors: StateDictInput, options: LoadStateDictOptions = {}): LoadStateDictResult {
  return loadStateDictIn('loadStateDict', module, tensors, options);
}

/** `loadStateDict` with the caller's name in errors, and extra reasons (e.g. a config clash) that fail a strict load. */
function loadStateDictIn(
  where: string,
  module: Module,
  tensors: StateDictInput,
  options: LoadStateDictOptions,
  extraProblems: string[] = [],
): LoadStateDictResult {
  const { strict } = parse(where, loadStateDictOptionsSchema, options);
  parseArgument(where, 'tensors', namedTensors, tensors);
  const given = tensors instanceof Map ? tensors : new Map(Object.entries(tensors));
  const params = stateDict(module);

  const result: LoadStateDictResult = { loaded: [], missing: [], unexpected: [], mismatched: [] };
  const copies: Array<[string, Tensor, StateTensor]> = [];
  for (const [name, param] of params) {
    const source = given.get(name);
    if (source === undefined) {
      result.missing.push(name);
      continue;
    }
    const reason = mismatch(name, source, param);
    if (reason === undefined) copies.push([name, param, source]);
    else result.mismatched.push({ name, reason });
  }
  for (const name of given.keys()) if (!params.has(name)) result.unexpected.push(name);

  const problems = [...describeProblems(result), ...extraProblems];
  if (strict && problems.length > 0) {
    throw new StateDictError(`${where}: state dict does not match ${module.constructor.name}: ${problems.join('; ')}`, result);
  }
  for (const [name, param, source] of copies) {
    if (source.data !== param.data) param.data.set(source.data as ArrayLike<number>); // Float32Array.set rounds float64
    result.loaded.push(name);
  }
  return result;
}

function mismatch(name: string, source: StateTensor, param: Tensor): string | undefined {
  if (source === null || typeof source !== 'object' || !Array.isArray(source.shape) || source.data === null || typeof source.data !== 'object') {
    return `${name} is not a tensor {shape, data}`;
  }
  const { shape, data } = source;
  if (!sameShape(shape, param.shape)) return `${name} has shape ${formatShape(shape)}, expected ${formatShape(param.shape)}`;
  if (data instanceof BigInt64Array) return `${name} holds 64-bit integers, expected floating-point values`;
  if (!isNumberArray(data)) return `${name} data is ${describeValue(data)}, expected a typed array or an array of numbers`;
  if (data.length !== param.size) return `${name} has ${data.length} values, its shape ${formatShape(shape)} needs ${param.size}`;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${name} holds ${describeValue(v)} at flat index ${i}, expected finite numbers`;
  }
  return undefined;
}

/** A typed array of numbers (not BigInt, not DataView) or a plain array (its elements are checked after). */
function isNumberArray(data: unknown): data is ArrayLike<number> {
  if (Array.isArray(data)) return true;
  return ArrayBuffer.isView(data) && !(data instanceof DataView) && !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array);
}

function describeProblems(r: LoadStateDictResult): string[] {
  const out: string[] = [];
  if (r.missing.length > 0) out.push(`missing ${r.missing.join(', ')}`);
  if (r.unexpected.length > 0) out.push(`unexpected ${r.unexpected.join(', ')}`);
  for (const m of r.mismatched) out.push(m.reason);
  const prefix = sharedPrefix(r.missing, r.unexpected);
  if (prefix !== undefined) out.push(`every missing name appears with the prefix '${prefix}': strip it from the state dict's names`);
  return out;
}

/** The prefix p such that p + name is unexpected for every missing name, if there is one (e.g. 'param.'). */
function sharedPrefix(missing: string[], unexpected: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  const first = missing[0]!;
  const candidate = unexpected.find((u) => u.length > first.length && u.endsWith(first));
  if (candidate === undefined) return undefined;
  const prefix = candidate.slice(0, candidate.length - first.length);
  const names = new Set(unexpected);
  return missing.every((m) => names.has(prefix + m)) ? prefix : undefined;
}

// ---------------------------------------------------------------- files

/** Metadata keys written by saveModel; `format: pt` tells other tools the names and layouts are PyTorch's. */
export const MODULE_KEY = 'recurrent.module';
export const CONFIG_KEY = 'recurrent.config';

/** Metadata keys saveModel writes itself: `format` and the `recurrent.` namespace. User metadata may not use them. */
function isReservedKey(key: string): boolean {
  return key === 'format' || key.startsWith('recurrent.');
}

export type MetadataValue = string | number | boolean;

export const saveModelOptionsSchema = object({
  /** Extra metadata (numbers and booleans are written as strings); 'format' and 'recurrent.*' are reserved. */
  metadata: record(
    anyOf([string(), finite(), bool()]),
  ).default(() => ({})),
  /** 'F32' (default) rounds float64 parameters; 'F64' keeps them exactly. */
  dtype: oneOf(['F32', 'F64']).default('F32'),
});
export type SaveModelOptions = Infer<typeof saveModelOptionsSchema>;

/** A module that can describe its configuration (constructor options) for the saved file. */
interface Configurable {
  config(): Record<string, unknown>;
}

function configOf(module: Module): Record<string, unknown> | undefined {
  const candidate = module as Module & Partial<Configurable>;
  return typeof candidate.config === 'function' ? candidate.config() : undefined;
}

/**
 * Saves the module's state dict as safetensors (atomically). The metadata records the module
 * class and, when the module has a `config()` method, its configuration as JSON.
 */
export async function saveModel(path: string, module: Module, options: SaveModelOptions = {}): Promise<void> {
  const where = 'saveModel';
  const o = parse(where, saveModelOptionsSchema, options);
  const dtype = o.dtype;
  const metadata: Record<string, string> = { format: 'pt', [MODULE_KEY]: module.constructor.name };
  const config = configOf(module);
  if (config !== undefined) metadata[CONFIG_KEY] = JSON.stringify(config);
  for (const [key, value] of Object.entries(o.metadata)) {
    if (isReservedKey(key)) {
      throw new OptionError(`${where}: metadata key '${key}' is reserved (saveModel writes 'format' and 'recurrent.*' itself); choose another name`);
    }
    metadata[key] = String(value);
  }
  const tensors = new Map<string, TensorToWrite>();
  for (const [name, t] of stateDict(module)) tensors.set(name, { shape: t.shape, data: t.data, dtype });
  await writeSafetensorsFile(path, tensors, metadata);
}

export interface LoadModelResult extends LoadStateDictResult {
  metadata: Record<string, string>;
  /** How the file's configuration differs from the module's (non-empty only in a non-strict load). */
  configDifferences: string[];
}

/**
 * Loads a safetensors state dict (ours or PyTorch's) into `module`, strict by default. When both
 * the file and the module carry a configuration, a strict load also requires them to agree: equal
 * shapes do not make a tanh RNN's weights right for a ReLU one.
 */
export async function loadModel(path: string, module: Module, options: LoadStateDictOptions = {}): Promise<LoadModelResult> {
  const where = `loadModel(${path})`;
  parse(where, loadStateDictOptionsSchema, options);
  const { tensors, metadata } = await readSafetensorsFile(path);
  const problems: string[] = [];
  const savedConfig = metadata[CONFIG_KEY];
  const config = configOf(module);
  if (savedConfig !== undefined && config !== undefined) problems.push(...configDifferences(savedConfig, config));
  let result: LoadStateDictResult;
  try {
    result = loadStateDictIn(where, module, tensors, options, problems);
  } catch (err) {
    const savedFrom = metadata[MODULE_KEY];
    if (err instanceof StateDictError && savedFrom !== undefined && savedFrom !== module.constructor.name) {
      err.message += ` (the file was saved from a ${savedFrom})`;
    }
    throw err;
  }
  return { ...result, metadata, configDifferences: problems };
}

function configDifferences(savedJson: string, current: Record<string, unknown>): string[] {
  let saved: unknown;
  try {
    saved = JSON.parse(savedJson);
  } catch {
    return [`${CONFIG_KEY} in the file is not JSON`];
  }
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return [`${CONFIG_KEY} in the file is not a JSON object`];
  const now = JSON.parse(JSON.stringify(current)) as Record<string, unknown>; // as it would be saved
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  const out: string[] = [];
  for (const k of keys) {
    const a = JSON.stringify((saved as Record<string, unknown>)[k]);
    const b = JSON.stringify(now[k]);
    if (a !== b) out.push(`config ${k} is ${a ?? 'absent'} in the file, ${b ?? 'absent'} in the model`);
  }
  return out;
}
