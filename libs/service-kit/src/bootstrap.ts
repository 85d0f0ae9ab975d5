import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { runWithContext } from './context';
import { JsonLogger } from './logger';

export interface AppSettings {
  service: string;
  port: number;
  host: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Largest JSON request body accepted (body-parser syntax). Default 100kb. */
  bodyLimit?: string;
}

const CORRELATION_HEADER = 'x-correlation-id';
/** The IETF httpapi draft's header: a retried mutation carries the key of its first attempt. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Creates a Nest app with JSON logs and a correlation id on every request; does not listen. */
export async function createApp(module: Type<unknown>, settings: AppSettings): Promise<INestApplication> {
  const logger = new JsonLogger(settings.service, settings.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, bufferLogs: true, bodyParser: false });
  app.useLogger(logger);
  app.useBodyParser('json', { limit: settings.bodyLimit ?? '100kb' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header(CORRELATION_HEADER);
    // Accept a caller's id only when it looks like one (it ends up in every log line and event).
    const correlationId = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    const idempotencyKey = req.header(IDEMPOTENCY_HEADER);
    runWithContext({ correlationId, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}) }, next);
  });
  app.enableShutdownHooks();
  return app;
}

/** Creates the app, listens on host:port and logs where. */
export async function bootstrap(module: Type<unknown>, settings: AppSettings): Promise<INestApplication> {
  const app = await createApp(module, settings);
  await app.listen(settings.port, settings.host);
  new JsonLogger(settings.service, settings.logLevel).log(
    `${settings.service} listening on http://${settings.host}:${settings.port}`,
    'Bootstrap',
  );
  return app;
}
