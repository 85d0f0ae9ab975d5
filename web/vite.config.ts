import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the gateway under /console (gateway ConsoleController); `vite` in dev proxies /graphql.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/graphql': 'http://127.0.0.1:4000', '/console/config.json': 'http://127.0.0.1:4000' } },
});
