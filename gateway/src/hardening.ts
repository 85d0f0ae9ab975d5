import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import { GraphQLError, type ValidationRule } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface HardeningOptions {
  maxDepth: number;
  maxCost: number;
}

/** Rejects queries nested deeper than `maxDepth` (introspection's own nesting excepted). */
export function depthRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth, { ignore: [/^__/] }) as ValidationRule;
}

/** A list field costs its page size (`first`, default 20) times its children. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : undefined;
  return first !== undefined ? 1 + first * childComplexity : undefined;
};

/**
 * Rejects operations whose estimated cost exceeds `maxCost`, computed with the operation's
 * variables once it is resolved (a validation rule would not see them).
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<BaseContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ request, document, schema }) {
          const cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
          });
          if (cost > maxCost) {
            throw new GraphQLError(`query cost ${cost} exceeds the limit of ${maxCost}`, {
              extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COSTLY', cost, maxCost },
            });
          }
          return Promise.resolve();
        },
      });
    },
  };
}
