/**
 * @hrp/context-kit — one plain way to build a bounded context (see docs/adding-a-context.md):
 * a context is its events, decider(s), policy, SDL, projections, reactions and event registry;
 * `ContextModule.forRoot(definition, contextConfig(name, port))` brings everything else.
 */
export * from './definition';
export * from './config';
export * from './commands';
export * from './fingerprint.interceptor';
export * from './runtime';
export * from './read-models';
export * from './context.module';
export * from './health';
export * from './jobs';
export * from './audit-state.controller';
export * from './rebuilds.controller';
export * from './paging';
export * from './search';
export * from './known-entities';
export * from './equality-indexes';
