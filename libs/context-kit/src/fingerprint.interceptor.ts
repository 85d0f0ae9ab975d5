import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { currentContext, runWithContext } from '@hrp/service-kit';
import { requestFingerprint } from './commands';

interface GqlInfo {
  fieldName?: string;
  parentType?: { name?: string };
}

/**
 * For a request with an Idempotency-Key, fingerprints each root mutation field (its name and
 * arguments) into the request context, where the command path stores it beside the key: the same
 * key with other variables is then told apart from a retry.
 */
@Injectable()
export class MutationFingerprintInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const current = currentContext();
    if (ctx.getType<string>() !== 'graphql' || current?.idempotencyKey === undefined) return next.handle();
    const info = ctx.getArgByIndex<GqlInfo | undefined>(3);
    if (info?.parentType?.name !== 'Mutation' || !info.fieldName) return next.handle();
    const requestHash = requestFingerprint(info.fieldName, ctx.getArgByIndex<unknown>(1));
    // The resolver runs when the observable is subscribed: subscribe inside the new context.
    return from(runWithContext({ ...current, requestHash }, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
