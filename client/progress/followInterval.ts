/**
 * How often a following command asks for the status. Each ask is a query the worker answers
 * from the workflow's memory (no history grows), so a short interval costs little and shows
 * each member's step as it happens.
 */
export const FOLLOW_INTERVAL_MS = 250;
