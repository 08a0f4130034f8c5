// The preflight: everything a deployment would trip over on the running infrastructure, found
// before anything is created, all at once. `clocker plan` and `clocker deploy` run it as its own
// short workflow; a new application runs the same steps first and creates nothing when any
// problem is found (admission is all or nothing).
//
//   dry run of the scheduler over every service (admission query) ┐
//   secrets in the worker's store                                 ┴→ per chosen host: images, fixed host ports
//
// Two applications admitted at the same moment may both pass and then compete for the same
// room: the dry run books nothing. Booking a whole application in one Update would close that.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { admissionRequests } from '../domain/application/admission';
import {
  hostCheckRequests,
  hostProblems,
  locationProblem,
  placementProblems,
  portClashes,
  problemLine,
  relativeBindProblems,
  secretProblems,
  type PreflightProblem,
} from '../domain/application/preflightProblems';
import { hostPolicyProblems } from '../domain/application/hostPolicyProblems';
import type { Blueprint } from '../domain/blueprint/model';
import { quick } from './activityOptions';
import { failureText } from './failureText';

export interface PreflightInput {
  blueprint: Blueprint;
  /** Only these services are placed in the dry run (those a new version adds); absent: every one. */
  services?: string[];
}

const act = proxyActivities<Activities>(quick);
// Asking a registry about an image may take a few seconds per image. The look heartbeats, so
// a worker that dies during it costs the 10 s heartbeat timeout, not the 2 min bound (changes
// no command: replay compares an activity's type and id, not its timeouts).
const hostLook = proxyActivities<Activities>({ ...quick, startToCloseTimeout: '2m', heartbeatTimeout: '10s', retry: { ...quick.retry, maximumAttempts: 3 } });

export async function preflightProblems(blueprint: Blueprint, services?: string[]): Promise<PreflightProblem[]> {
  const [dry, missing] = await Promise.all([
    act.admissionDryRun({ infrastructure: blueprint.location, requests: admissionRequests(blueprint, services) }),
    act.missingSecrets({ names: blueprint.secrets }),
  ]);
  const problems = secretProblems(blueprint, missing);
  // Without the infrastructure there are no hosts to place on or look at.
  if (!dry.found) return [...problems, locationProblem(blueprint)];
  const answers = await Promise.all(hostCheckRequests(blueprint, dry.answer).map((req) => hostLook.checkHost(req)));
  return [
    ...problems,
    ...placementProblems(blueprint, dry.answer),
    ...portClashes(blueprint, dry.answer),
    ...hostProblems(blueprint, dry.answer, answers),
    ...relativeBindProblems(blueprint, dry.answer),
    // Answers recorded before host policies carry none: those histories replay unchecked, as they ran.
    ...(dry.answer.policy !== undefined ? hostPolicyProblems(blueprint, dry.answer.policy) : []),
  ];
}

/** The workflow `clocker plan` and `clocker deploy` start: every problem, or none. */
export async function preflight(input: PreflightInput): Promise<PreflightProblem[]> {
  return preflightProblems(input.blueprint, input.services);
}

/** A new application's first step: on any problem (or a preflight that could not run), `refuse` says why and nothing starts. */
export async function admitApplication(blueprint: Blueprint, refuse: (error: string) => void): Promise<void> {
  try {
    const problems = await preflightProblems(blueprint);
    if (problems.length > 0) refuse(`refused before anything was created: ${problems.map(problemLine).join('; ')}`);
  } catch (err) {
    refuse(`the preflight could not run, so nothing was created: ${failureText(err)}`);
  }
}
