import { contextConfig } from '@hrp/context-kit';

/** The advocacy service's configuration, validated once at boot. */
export const config = contextConfig('advocacy', 4004);
