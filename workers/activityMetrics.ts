// Clocker's metrics that only the activities see, counted around them by an activity
// interceptor (no activity changes): placements the scheduler refused, and host probes that
// found the engine silent.
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';
import { METRIC } from '../workflows/consoleMetrics';

type Fields = Record<string, unknown>;
const fields = (args: unknown[]): Fields => (typeof args[0] === 'object' && args[0] !== null ? (args[0] as Fields) : {});
const text = (v: unknown) => (typeof v === 'string' ? v : '');

export function activityMetrics(ctx: Context): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        const type = ctx.info.activityType;
        try {
          const result = await next(input);
          if (type === 'checkHostAlive' && (result as { alive?: boolean } | undefined)?.alive === false) {
            const docker = fields(input.args).docker as Fields | undefined;
            ctx.metricMeter
              .createCounter(METRIC.hostProbeFailures, 'probes', "Host liveness probes that found the engine silent or refusing")
              .add(1, { host: text(docker?.host) || text(docker?.socketPath) });
          }
          return result;
        } catch (err) {
          if (type === 'placeMembers' && err instanceof Error && err.name === 'PlacementRejectedError') {
            const req = fields(input.args);
            ctx.metricMeter
              .createCounter(METRIC.placementRefusals, 'placements', 'Placements the scheduler refused (no host fits)')
              .add(1, { infrastructure: text(req.infrastructure), app: text(req.app), service: text(req.service) });
          }
          throw err;
        }
      },
    },
  };
}
