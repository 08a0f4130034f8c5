// The infrastructure workflow is the scheduler: every placement goes through its Updates,
// which run one at a time against its state, so two services never book the same room.
import { allHandlersFinished, condition, continueAsNew, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { bookMembers, releaseMembers } from '../domain/infra/bookings';
import type { Booking, InfrastructureSpec } from '../domain/infra/model';
import {
  infraStatusQuery,
  placeContainersUpdate,
  releaseContainersUpdate,
  type PlaceRequest,
  type ReleaseRequest,
} from './messages';
import { searchAttributes } from './searchAttributes';
import { validatePlaceRequest, validateReleaseRequest } from './requestValidation';

export interface InfrastructureInput extends InfrastructureSpec {
  /** Carried across continueAsNew. */
  bookings?: Booking[];
}

export async function infrastructure(input: InfrastructureInput): Promise<void> {
  const hosts = input.hosts;
  let bookings: Booking[] = input.bookings ?? [];

  setHandler(infraStatusQuery, () => ({ name: input.name, hosts, bookings }));
  setHandler(
    placeContainersUpdate,
    (req: PlaceRequest) => {
      const outcome = bookMembers(hosts, bookings, req);
      if (!outcome.ok) return outcome;
      bookings = outcome.bookings;
      return { ok: true as const, assignments: outcome.assignments };
    },
    { validator: validatePlaceRequest },
  );
  setHandler(
    releaseContainersUpdate,
    (req: ReleaseRequest) => {
      const before = bookings.length;
      bookings = releaseMembers(bookings, req.app, req.service, req.members);
      return before - bookings.length;
    },
    { validator: validateReleaseRequest },
  );

  upsertSearchAttributes([
    { key: searchAttributes.kind, value: 'infrastructure' },
    { key: searchAttributes.infrastructure, value: input.name },
    { key: searchAttributes.status, value: 'RUNNING' },
  ]);

  // Lives until terminated; hands its state to a fresh run when history grows long.
  await condition(() => workflowInfo().continueAsNewSuggested && allHandlersFinished());
  await continueAsNew<typeof infrastructure>({ ...input, hosts, bookings });
}
