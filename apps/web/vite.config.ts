import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Resolved from this file, not the working directory, so `vite build --config apps/web/vite.config.ts`
// from the repo root and a build started elsewhere (the browser test) agree on where `dist` is.
const root = fileURLToPath(new URL('.', import.meta.url));

// Note: Vite takes NODE_ENV from the shell when it is set, so build with it unset or `production`
// (a build under NODE_ENV=test ships React's development JSX).
export default defineConfig({
  root,
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true },
  // `nx serve web`: the dev server forwards the API to a local gateway, so the session cookies
  // stay same-origin exactly as when the gateway serves the build.
  server: { port: 5173, proxy: { '/api': 'http://localhost:8080', '/v1': 'http://localhost:8080' } },
});
