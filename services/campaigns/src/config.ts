import { contextConfig } from '@hrp/context-kit';

/** The campaigns service's configuration, validated once at boot. */
export const config = contextConfig('campaigns', 4001);
