// Search attributes every Clocker workflow sets, so the Temporal Web UI and
// `temporal workflow list --query 'ClockerKind="application"'` can list and filter them.
// Never put anything sensitive here: search attributes are not encrypted.
import { defineSearchAttributeKey } from '@temporalio/common';

export const searchAttributes = {
  kind: defineSearchAttributeKey('ClockerKind', 'KEYWORD'),
  app: defineSearchAttributeKey('ClockerApp', 'KEYWORD'),
  service: defineSearchAttributeKey('ClockerService', 'KEYWORD'),
  infrastructure: defineSearchAttributeKey('ClockerInfra', 'KEYWORD'),
  status: defineSearchAttributeKey('ClockerStatus', 'KEYWORD'),
} as const;

export type WorkflowKind = 'infrastructure' | 'application' | 'service' | 'monitor';
