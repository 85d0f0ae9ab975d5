export * from './topics';
export * from './transport';
export * from './kafkajs-transport';
export * from './envelope';
export * from './relay';
export * from './subscription';
export * from './projection';
export * from './read-your-writes';
export { applyUpdate, UpdateRefusedError } from './update-applier';
