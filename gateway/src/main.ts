import { bootstrap } from '@hrp/service-kit';
import { AppModule } from './app.module';
import { config } from './config';

void bootstrap(AppModule, {
  service: 'gateway',
  port: config.PORT,
  host: config.HOST,
  logLevel: config.LOG_LEVEL,
  bodyLimit: config.MAX_REQUEST_BYTES,
});
