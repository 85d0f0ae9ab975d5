import { loadConfig, port, str } from '@hrp/config';

/** The advocacy service's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4004 }),
  MONGO_DB: str({ default: 'hrp_advocacy' }),
});
