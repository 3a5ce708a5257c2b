import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

// Vite's dev server injects CSS as <style> tags and talks HMR over a WebSocket; the built app
// keeps the strict policy of src-renderer/index.html.
const devServerCsp: Plugin = {
  name: 'modlab-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws:"),
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The worker that reads users' boards off the main thread (hosts/board-runner.ts).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/hosts/electron/main.ts'),
          'board-worker': resolve(__dirname, 'src-main/hosts/board-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or other files: one CommonJS bundle.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/hosts/electron/preload.ts') },
        output: { format: 'cjs' },
      },
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    // @hardware: the pure devicetree code (model, DTS parser and writer) the profile editor runs too.
    resolve: {
      alias: {
        '@api': resolve(__dirname, 'src-main/api'),
        '@hardware': resolve(__dirname, 'src-main/hardware'),
        '@linux': resolve(__dirname, 'src-main/linux'),
      },
    },
    plugins: [vue(), devServerCsp],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
})
