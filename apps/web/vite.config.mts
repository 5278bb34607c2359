// The console's build (static files the gateway serves at `/`) and its component tests.
// No inline scripts or styles: the gateway's CSP is `script-src 'self'; style-src 'self'`, so
// nothing is inlined as a data: URI either, and the module-preload polyfill (an inline helper in
// some setups) is off: every browser the console supports has modulepreload.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The typed API client, from its source (as tsconfig.base.json maps it for the rest of the repository).
  resolve: { alias: { '@scriptripper/sdk': resolve(root, '../../libs/sdk/src/index.ts') } },
  // Settings of the build: CONSOLE_OIDC_PROVIDERS (e.g. "google") shows their sign-in buttons.
  define: {
    'import.meta.env.VITE_OIDC_PROVIDERS': JSON.stringify(process.env['CONSOLE_OIDC_PROVIDERS'] ?? ''),
  },
  build: {
    outDir: process.env['WEB_OUT_DIR'] ?? resolve(root, '../../dist/apps/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
  // `vite preview` sends the policy the gateway gives the console's pages, so a preview shows
  // any inline script or style the build would need (the dev server's HMR needs inline code).
  preview: {
    proxy: { '/api': process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:3000' },
    headers: {
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    },
  },
  server: {
    // `npx vite apps/web` during development: the API of a running gateway, same origin.
    proxy: { '/api': process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:3000' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    // Rendering the 10,000-segment fixture in jsdom takes seconds on a loaded machine.
    testTimeout: 30_000,
  },
});
