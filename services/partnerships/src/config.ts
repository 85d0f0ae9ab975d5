import { contextConfig } from '@hrp/context-kit';

/** The partnerships service's configuration, validated once at boot. */
export const config = contextConfig('partnerships', 4003);
