export * from './decider';
export * from './decider-specification';
export * from './errors';
