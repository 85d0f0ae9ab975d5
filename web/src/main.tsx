import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { ApolloProvider } from '@apollo/client/react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { initI18n, initialLanguage } from './i18n';
import { apolloClient } from './lib/apollo';
import { accessToken, loadConfig, signIn, viewerOf } from './lib/auth';
import { Shell } from './Shell';
import { VerifyPage } from './pages/VerifyPage';

const base = import.meta.env.BASE_URL.replace(/\/$/, '');

async function main(): Promise<void> {
  await initI18n(initialLanguage());
  const root = createRoot(document.getElementById('root')!);
  const config = await loadConfig();
  // Certificate verification is public: no sign-in, no token.
  if (window.location.pathname.startsWith(`${base}/verify`)) {
    root.render(
      <ApolloProvider client={apolloClient(config.graphqlUrl, null)}>
        <Shell viewer={null} onLogout={null}>
          <VerifyPage />
        </Shell>
      </ApolloProvider>,
    );
    return;
  }
  const keycloak = await signIn(config);
  const viewer = viewerOf(keycloak);
  root.render(
    <ApolloProvider client={apolloClient(config.graphqlUrl, () => accessToken(keycloak))}>
      <BrowserRouter basename={base}>
        <App viewer={viewer} onLogout={() => void keycloak.logout({ redirectUri: window.location.origin + base + '/' })} />
      </BrowserRouter>
    </ApolloProvider>,
  );
}

main().catch((e: unknown) => {
  document.getElementById('root')!.textContent = `HRP: ${e instanceof Error ? e.message : String(e)}`;
});
