export { loadMobyDick, loadMobyDickParts, type MobyDickPart } from './moby-dick.js';
export { CharVocabulary, type CharVocabularyJson, type CharVocabularyOptions } from './char-vocabulary.js';
export {
  LanguageModelBatches,
  languageModelWindows,
  splitTrainValidation,
  type LanguageModelBatchOptions,
  type LanguageModelWindow,
  type StreamSplit,
} from './language-model-batches.js';
export * from './synthetic/index.js';
