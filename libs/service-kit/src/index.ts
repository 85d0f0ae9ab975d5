export * from './bootstrap';
export * from './context';
export * from './health';
export * from './logger';
