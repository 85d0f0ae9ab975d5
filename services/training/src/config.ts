import { contextConfig } from '@hrp/context-kit';

/** The training service's configuration, validated once at boot. */
export const config = contextConfig('training', 4002);
