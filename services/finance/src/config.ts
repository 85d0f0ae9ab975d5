import { contextConfig } from '@hrp/context-kit';

/** The finance service's configuration, validated once at boot. */
export const config = contextConfig('finance', 4005);
