export * from './bootstrap';
export * from './context';
export * from './health';
export * from './logger';
export * from './request-log.interceptor';
export * from './metrics';
