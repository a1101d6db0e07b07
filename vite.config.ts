import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The CSP meta tag in index.html forbids inline scripts. The dev server's React Refresh preamble is an
// inline script, so in `vite` (serve) mode only, the meta tag is dropped. Built output (`vite build`,
// served by `vite preview` / `npm start`) keeps it.
function devCspRelax(): Plugin {
  return {
    name: 'tunnelscope-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, '');
    },
  };
}

export default defineConfig({
  plugins: [react(), devCspRelax()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  server: { host: '127.0.0.1', port: 5173 },
});
