import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console, built to web/dist by `npm run build:web` (= `vite build web`) and served by the API
// server itself (src/http/console.ts). `vite web` serves it for development, proxying the API.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
