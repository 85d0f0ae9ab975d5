/** The bounded contexts that own an event topic each. */
export const CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance', 'gateway'] as const;
export type ContextName = (typeof CONTEXTS)[number];

/**
 * `hrp.<context>.events`, retained for ever: the log is the audit record and the replay source.
 * `prefix` isolates tests (e.g. `t.relay_ab12cd.`) and is empty in production.
 */
export function eventsTopic(context: string, prefix = ''): string {
  return `${prefix}hrp.${context}.events`;
}

/** Messages a consumer could not handle, with the reason in their headers. */
export function deadLetterTopic(prefix = ''): string {
  return `${prefix}hrp.dlq`;
}
