export { LanguageModel, type LanguageModelOptions, type WindowLoss } from './language-model.js';
export { evaluateLanguageModel, type TokenWindow } from './evaluate-language-model.js';
