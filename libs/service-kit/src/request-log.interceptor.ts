import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { type Observable, tap } from 'rxjs';
import { metrics } from './metrics';

interface GqlInfo {
  operation?: { operation?: string; name?: { value?: string } };
  fieldName?: string;
  parentType?: { name?: string };
}

/**
 * One JSON log line per handled request or root GraphQL field: what ran, how long it took and
 * how it ended. The logger adds the correlation id and the actor; arguments (which may hold
 * personal data) are never logged.
 */
@Injectable()
export class RequestLogInterceptor implements NestInterceptor {
  private readonly log = new Logger('Request');

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = Date.now();
    let what: string | undefined;
    if (ctx.getType<string>() === 'graphql') {
      const info = ctx.getArgByIndex<GqlInfo | undefined>(3);
      // Root fields only: nested field resolvers would flood the log.
      if (info?.parentType?.name === 'Query' || info?.parentType?.name === 'Mutation') what = `${info.parentType.name}.${info.fieldName}`;
    } else {
      const req = ctx.switchToHttp().getRequest<{ method?: string; route?: { path?: string } }>();
      what = `${req.method} ${req.route?.path ?? ''}`;
    }
    if (!what) return next.handle();
    const gql = ctx.getType<string>() === 'graphql' ? ctx.getArgByIndex<GqlInfo>(3) : undefined;
    const done = (outcome: string, code?: string) => {
      const durationMs = Date.now() - started;
      this.log.log({ msg: 'handled', operation: what, outcome, ...(code ? { code } : {}), durationMs });
      if (gql)
        metrics.graphql.observe(
          { type: gql.parentType?.name ?? 'unknown', name: gql.fieldName ?? 'unknown', outcome: code ?? outcome },
          durationMs / 1000,
        );
    };
    return next.handle().pipe(
      tap({
        next: () => undefined,
        complete: () => done('ok'),
        error: (e: unknown) =>
          done('error', (e as { extensions?: { code?: string }; code?: string })?.extensions?.code ?? (e as { code?: string })?.code),
      }),
    );
  }
}
