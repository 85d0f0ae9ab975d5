import { loadConfig, port, str } from '@hrp/config';

/** The training service's configuration, validated once at boot. */
export const config = loadConfig({
  PORT: port({ default: 4002 }),
  MONGO_DB: str({ default: 'hrp_training' }),
});
