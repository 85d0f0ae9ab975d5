import { contextConfig } from '@hrp/context-kit';
import { loadConfig, url } from '@hrp/config';

/** The training service's configuration, validated once at boot. */
export const config = contextConfig('training', 4002);

/** Training's own settings (the personal-data keys are checked by `keysFromEnv` at boot). */
export const trainingConfig = loadConfig({
  // Where clients reach the gateway: certificate links and QR codes point there.
  PUBLIC_BASE_URL: url({ default: 'http://127.0.0.1:4000', desc: 'the gateway as clients reach it' }),
});
