// Public face of placement: what the infrastructure workflow imports.
export type {
  Assignment,
  ChosenHost,
  HostView,
  PlacementConstraints,
  PlacementExplanation,
  PlacementRequest,
  PlacementResult,
  RankerName,
  Rejection,
  Reservation,
  ValidationIssue,
} from './model';
export { placeBatch } from './placeBatch';
export { release } from './release';
export type { ReleaseResult } from './release';
export { formatIssues, validatePlacementRequest } from './validateRequest';
export { DEFAULT_STRATEGY, RANKER_NAMES } from './rankers/registry';
export { HOST_ATTRIBUTE_NAMES } from './predicate/hostAttributes';
