import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';

/**
 * Apollo Client against the gateway. Every request carries a fresh token (when signed in).
 * Reads after a mutation pass its `position` as `minPosition`, so the next screen shows the new
 * state, never an older one (see useAfterWrite).
 */
export function apolloClient(graphqlUrl: string, token: (() => Promise<string>) | null): ApolloClient {
  const http = new HttpLink({ uri: graphqlUrl });
  const auth = new SetContextLink(async (prev) =>
    token ? { headers: { ...(prev.headers as Record<string, string>), authorization: `Bearer ${await token()}` } } : {},
  );
  return new ApolloClient({
    link: auth.concat(http),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
