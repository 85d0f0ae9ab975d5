import { loadConfig, port, str } from '@hrp/config';

/** The finance service's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4005 }),
  MONGO_DB: str({ default: 'hrp_finance' }),
});
