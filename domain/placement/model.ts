// The placement vocabulary. Everything here is plain JSON: hosts and requests live in the
// infrastructure workflow's state and travel through history and continueAsNew.

/** A member booked on a host. `cpus`/`memoryBytes` are what the member asked for (0 = nothing). */
export interface Reservation {
  app: string;
  service: string;
  member: string;
  cpus: number;
  memoryBytes: number;
}

/** What the scheduler knows about one host when it decides. */
export interface HostView {
  id: string;
  healthy: boolean;
  /** Shown in the reason when the host is not healthy, e.g. `FAILED`. */
  status?: string;
  labels: Record<string, string>;
  region?: string;
  zone?: string;
  capacity: { cpus: number; memoryBytes: number; maxContainers: number };
  /** Measured by the host's probe; static during one placement decision. */
  usage: { cpuPercent: number; memoryBytes: number };
  reservations: Reservation[];
}

/** Ranker names a strategy may list; earlier entries win, later ones break ties. */
export type RankerName =
  | 'random'
  | 'depth-first'
  | 'breadth-first'
  | 'least-cpu'
  | 'least-memory'
  | 'fewest-containers';

export interface PlacementConstraints {
  /** Every label must be present with exactly this value. */
  requiredLabels?: Record<string, string>;
  /** The host's region must be one of these. */
  regions?: string[];
  /** The host's zone must be one of these. */
  zones?: string[];
  /** Anti-affinity: at most this many members of the service on one host. */
  maxPerHost?: number;
  /** Spread: at most this many members of the service in one zone (hosts without a zone share one). */
  maxPerZone?: number;
  /** A filtrex expression over host attributes (see predicate/hostAttributes.ts). */
  predicate?: string;
  /** Skip hosts whose measured CPU use is above this percentage. */
  maxCpuPercent?: number;
  /** Skip hosts whose measured memory use is above this percentage of capacity. */
  maxMemoryPercent?: number;
}

export interface PlacementRequest {
  app: string;
  service: string;
  /** Member ids, in the order they should be placed. */
  members: string[];
  /** Reserved per member on the chosen host. */
  resources?: { cpus?: number; memoryBytes?: number };
  constraints?: PlacementConstraints;
  /** Rankers in priority order; default `['breadth-first', 'fewest-containers']`. */
  strategy?: RankerName[];
}

export interface Assignment {
  member: string;
  hostId: string;
  /** True when the member was already placed before this call (idempotent retry). */
  existing: boolean;
}

/** How many hosts one filter removed, for one reason. */
export interface Rejection {
  filter: string;
  reason: string;
  hosts: number;
  hostIds: string[];
}

/** Per chosen host: how many new members it got and each ranker's score when first chosen. */
export interface ChosenHost {
  hostId: string;
  members: number;
  scores: Record<string, number>;
}

export interface PlacementExplanation {
  /** Hosts the decision looked at. */
  hosts: number;
  /** Hosts that passed every filter when the batch started. */
  feasible: number;
  /** Hosts the filters removed: when the batch started (success) or when it stopped (failure). */
  rejections: Rejection[];
  strategy: RankerName[];
  chosen: ChosenHost[];
  /** One line for people, e.g. `3 hosts: 2 over maxContainers=10, 1 missing label region=eu`. */
  summary: string;
}

export type PlacementResult =
  | { ok: true; assignments: Assignment[]; hosts: HostView[]; explanation: PlacementExplanation }
  | {
      ok: false;
      /** Members placed before the stop; `hosts` already holds their reservations. */
      placed: Assignment[];
      unplaced: string[];
      hosts: HostView[];
      explanation: PlacementExplanation;
    };

export interface ValidationIssue {
  /** Stable machine-readable kind, e.g. `placement.unknownRanker`. */
  code: string;
  /** Field path in the request, e.g. `constraints.maxPerHost`. */
  path: string;
  message: string;
}
