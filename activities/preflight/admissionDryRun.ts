// The preflight's questions to the infrastructure workflow: is it running (the blueprint's
// `location` names it), and would the whole application fit (its `admission` query, a dry run
// of the scheduler that books nothing).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AdmissionAnswer } from '../../domain/application/preflightProblems';
import { workflowIds } from '../../domain/naming';
import type { PlacementRequest } from '../../domain/placement';
import { admissionQuery } from '../../workflows/messages';

export type DryRunOutcome = { found: false } | { found: true; answer: AdmissionAnswer };

export function admissionActivities(temporal: Client) {
  return {
    async admissionDryRun(req: { infrastructure: string; requests: PlacementRequest[] }): Promise<DryRunOutcome> {
      const handle = temporal.workflow.getHandle(workflowIds.infrastructure(req.infrastructure));
      try {
        // A closed infrastructure would still answer queries from its history: only a running one counts.
        if ((await handle.describe()).status.name !== 'RUNNING') return { found: false };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { found: false };
        throw err;
      }
      return { found: true, answer: await handle.query(admissionQuery, req.requests) };
    },
  };
}
