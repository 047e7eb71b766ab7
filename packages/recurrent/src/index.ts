export * from '@recurrent/core';
export * as datasets from '@recurrent/datasets';
export * as esn from '@recurrent/esn';
export { useFastestBackend, type BackendSelection } from './backend-choice.js';
