export * from './scalars';
export * from './errors';
export * from './connection';
export * from './paths';
export * from './subgraph';
export * from './tags';
