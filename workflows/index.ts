// The workflow bundle's entry: every workflow type the worker registers.
export { application } from './application';
export { infrastructure } from './infrastructure';
export { service } from './service';
