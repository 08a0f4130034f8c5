// Where Clocker's Temporal is, for every process (CLI, worker, tests): flags win, then
// environment, then the embedded default's address.

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
}

export const DEFAULT_TASK_QUEUE = 'clocker';

export function temporalConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<TemporalConfig> = {}): TemporalConfig {
  return {
    address: overrides.address ?? env.CLOCKER_TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: overrides.namespace ?? env.CLOCKER_NAMESPACE ?? 'default',
    taskQueue: overrides.taskQueue ?? env.CLOCKER_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
  };
}
