import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// Two pages in one build: the playground at / (index.html) and the console at /admin/
// (admin/index.html). Both share /assets/, whose file names carry content hashes, so the Go
// server can cache them forever and the committed dist/ only changes when a source does.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // scripts/budget.mjs reads it to measure the console's first load.
    manifest: true,
    // Monaco (GraphiQL's editor) is one large chunk, loaded by the playground only.
    chunkSizeWarningLimit: 3000,
    // Keep every font and image a file: the pages' CSP allows data: only for images.
    assetsInlineLimit: 0,
    rollupOptions: {
      // GraphiQL's modules start with React Compiler directives that bundling drops harmlessly.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      input: {
        playground: resolve(import.meta.dirname, 'index.html'),
        admin: resolve(import.meta.dirname, 'admin/index.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
