import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloFederationDriver, type ApolloFederationDriverConfig } from '@nestjs/apollo';
import { Catch, type DynamicModule } from '@nestjs/common';
import { GraphQLModule, type GqlExceptionFilter } from '@nestjs/graphql';
import type { GraphQLError } from 'graphql';
import { formatError, toGraphQLError } from './errors';
import { sharedScalarResolvers } from './scalars';
import { SHARED_SDL_PATH } from './paths';

/**
 * Every resolver error leaves as a GraphQL error with a contract code (domain errors keep their
 * rule id or field). Register with `{ provide: APP_FILTER, useClass: GraphQLErrorFilter }`.
 */
@Catch()
export class GraphQLErrorFilter implements GqlExceptionFilter {
  catch(exception: unknown): GraphQLError {
    return toGraphQLError(exception);
  }
}

export interface SubgraphOptions {
  /** The subgraph's own SDL files (the shared SDL is added first). */
  typePaths: string[];
  production: boolean;
}

/**
 * A schema-first Federation 2 subgraph (the SDL declares `@link` to federation v2.3), served at
 * /graphql, with the request in the context for the auth guard, introspection only outside
 * production and no stack traces in production.
 */
export function subgraphModule(opts: SubgraphOptions): DynamicModule {
  return GraphQLModule.forRoot<ApolloFederationDriverConfig>({
    driver: ApolloFederationDriver,
    typePaths: [SHARED_SDL_PATH, ...opts.typePaths],
    resolvers: sharedScalarResolvers,
    path: '/graphql',
    context: ({ req }: { req: unknown }) => ({ req }),
    introspection: !opts.production,
    playground: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: !opts.production,
    formatError: formatError(opts.production),
    // Inline traces feed Apollo's hosted usage reporting, which we do not use (and it prints a
    // plain-text line at boot, breaking the JSON logs).
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
}
