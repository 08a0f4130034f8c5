// The infrastructure's answer to "how do I run a command on each host" (domain/infra/hostAccess.ts).
// A query only: adding its handler issues no command, so running infrastructures answer it
// once their worker has this code.
import { defineQuery } from '@temporalio/workflow';
import type { HostAccess } from '../domain/infra/hostAccess';

export const hostAccessQuery = defineQuery<HostAccess[]>('hostAccess');
