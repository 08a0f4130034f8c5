// The workflow bundle's entry: every workflow type the worker registers.
export { application } from './application';
export { host } from './host';
export { hostMonitor } from './hostMonitor';
export { infrastructure } from './infrastructure';
export { preflight } from './preflight';
export { service } from './service';
