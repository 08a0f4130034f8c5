// The infrastructure workflow is the scheduler: every placement and every address goes
// through its Updates, which run one at a time against its state, so two services never
// book the same room or the same address. The rules live in InfrastructureState.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { initialInfraState } from '../domain/infra/initialState';
import type { Booking, InfrastructureSpec, InfraState } from '../domain/infra/model';
import { formatIpamIssues } from '../domain/ipam';
import { InfrastructureState, type Refusable } from './infrastructureState';
import {
  allocateAddressUpdate,
  allocateSubnetUpdate,
  infraStatusQuery,
  placeContainersUpdate,
  releaseAddressUpdate,
  releaseContainersUpdate,
  releaseSubnetUpdate,
} from './messages';
import {
  validateAllocateAddress,
  validateAllocateSubnet,
  validatePlaceRequest,
  validateReleaseAddress,
  validateReleaseRequest,
  validateReleaseSubnet,
} from './requestValidation';
import { searchAttributes } from './searchAttributes';

export interface InfrastructureInput extends InfrastructureSpec {
  /** Carried across continueAsNew: hosts, reservations and address books. */
  state?: InfraState;
  /** Runs started before `state` existed carried only this; read once into reservations. */
  bookings?: Booking[];
  /** For tests: continue as new after this many updates in a run, as if history were long. */
  continueAsNewAfterUpdates?: number;
}

/** An accepted update that the state refused after all (it changed since validation). */
function unwrap<T>(what: string, outcome: Refusable<T>): T {
  if (outcome.ok) return outcome.value;
  throw ApplicationFailure.nonRetryable(`${what} refused: ${formatIpamIssues(outcome.issues).replace(/\n/g, '; ')}`, 'IpamRefused');
}

export async function infrastructure(input: InfrastructureInput): Promise<void> {
  const initial = initialInfraState(input, input.state, input.bookings);
  if (!initial.ok) throw ApplicationFailure.nonRetryable(`infrastructure ${input.name}: ${initial.problem}`, 'InvalidInfrastructure');
  const state = new InfrastructureState(input.name, initial.state);
  let updatesThisRun = 0;
  const counted = <A, R>(handler: (arg: A) => R) => (arg: A): R => {
    updatesThisRun++;
    return handler(arg);
  };
  // The random ranker's seed: the update id is stable on replay and differs per request.
  const seed = () => `${workflowInfo().workflowId}/${currentUpdateInfo()?.id ?? `${workflowInfo().runId}/${updatesThisRun}`}`;

  setHandler(infraStatusQuery, () => state.view());
  setHandler(placeContainersUpdate, counted((req) => state.place(req, seed())), { validator: validatePlaceRequest });
  setHandler(releaseContainersUpdate, counted((req) => state.release(req)), { validator: validateReleaseRequest });
  setHandler(allocateSubnetUpdate, counted((req) => unwrap('subnet', state.allocateSubnet(req))), {
    validator: (req) => validateAllocateSubnet(state.data.ipam, req),
  });
  setHandler(releaseSubnetUpdate, counted((req) => state.releaseSubnet(req)), { validator: validateReleaseSubnet });
  setHandler(allocateAddressUpdate, counted((req) => unwrap('address', state.allocateAddress(req))), {
    validator: (req) => validateAllocateAddress(state.data.ipam, req),
  });
  setHandler(releaseAddressUpdate, counted((req) => state.releaseAddress(req)), { validator: validateReleaseAddress });

  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'infrastructure' },
    { key: searchAttributes.infrastructure, value: input.name },
    { key: searchAttributes.status, value: 'RUNNING' },
  ]);

  // Lives until terminated; hands its state to a fresh run when history grows long, once no
  // handler is mid-way (all are synchronous today, but that must stay true if one awaits).
  const limit = input.continueAsNewAfterUpdates;
  const historyLong = () => workflowInfo().continueAsNewSuggested || (limit !== undefined && updatesThisRun >= limit);
  await condition(() => historyLong() && allHandlersFinished());
  const { state: _old, bookings: _legacy, ...spec } = input;
  await continueAsNew<typeof infrastructure>({ ...spec, state: state.data });
}
