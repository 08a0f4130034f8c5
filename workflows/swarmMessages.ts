// The infrastructure's Signal that its engines are in a Docker swarm (an overlay network needed
// one): from then on it repairs the swarm's membership as hosts come, go, drain and fail
// (workflows/infraSwarm.ts). Internal: sent by ensureSwarm (activities/docker/swarm.ts).
import { defineSignal } from '@temporalio/workflow';

export const swarmInUseSignal = defineSignal<[]>('swarmInUse');
