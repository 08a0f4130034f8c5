// Message definitions shared by the workflows and every client (CLI, tests, plain
// `temporal workflow signal/update/query` with the same names and JSON).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AppView, ServiceView } from '../domain/application/status';
import type { Assignment, Booking, HostRecord } from '../domain/infra/model';

// --- infrastructure ---------------------------------------------------------------
export interface PlaceRequest {
  app: string;
  service: string;
  members: string[];
}
export type PlaceResult = { ok: true; assignments: Assignment[] } | { ok: false; reason: string };
export interface ReleaseRequest {
  app: string;
  service: string;
  /** Absent: every member of the service. */
  members?: string[];
}
export interface InfraView {
  name: string;
  hosts: HostRecord[];
  bookings: Booking[];
}

export const placeContainersUpdate = defineUpdate<PlaceResult, [PlaceRequest]>('placeContainers');
export const releaseContainersUpdate = defineUpdate<number, [ReleaseRequest]>('releaseContainers');
export const infraStatusQuery = defineQuery<InfraView>('status');

// --- application --------------------------------------------------------------------
export const appStatusQuery = defineQuery<AppView>('status');
/** Tear the application down: containers removed, placements released, then the workflow ends. */
export const destroySignal = defineSignal('destroy');
/** A service child tells its application what it looks like now. */
export const serviceReportSignal = defineSignal<[ServiceView]>('serviceReport');

// --- service ------------------------------------------------------------------------
export const serviceStatusQuery = defineQuery<ServiceView>('status');
