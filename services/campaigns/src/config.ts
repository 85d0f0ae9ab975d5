import { loadConfig, port, str } from '@hrp/config';

/** The campaigns service's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4001 }),
  MONGO_DB: str({ default: 'hrp_campaigns' }),
});
