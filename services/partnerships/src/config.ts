import { loadConfig, port, str } from '@hrp/config';

/** The partnerships service's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4003 }),
  MONGO_DB: str({ default: 'hrp_partnerships' }),
});
