import { buildSync, type BuildOptions } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const BRIDGE_SCRIPT_PATH = '/modlab-bridge.js'

/** The Content-Security-Policy the renderer declares in its own index.html: one source for every host. */
export function policyOf(indexHtml: string): string {
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(indexHtml)
  if (!match?.[1]) throw new Error('the renderer index.html declares no Content-Security-Policy')
  return match[1]
}

export const TOKEN_META = 'modlab-token'

/**
 * The renderer's page with the bridge script placed before the app's own scripts and the
 * launch's access token in a meta tag, where the bridge reads it (inline script is forbidden).
 */
export function injectBridge(indexHtml: string, token = ''): string {
  const meta = token ? `<meta name="${TOKEN_META}" content="${token}" />\n    ` : ''
  const tag = `${meta}<script src="${BRIDGE_SCRIPT_PATH}"></script>`
  const at = indexHtml.indexOf('<script')
  if (at < 0) throw new Error('the renderer index.html has no script to run after the bridge')
  return indexHtml.slice(0, at) + tag + '\n    ' + indexHtml.slice(at)
}

/** How bridge-client.ts (and the contract's channel list) becomes one classic script. */
export const BRIDGE_BUILD: BuildOptions = {
  entryPoints: [join(__dirname, 'bridge-client.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
}

/**
 * The bridge script: bundled ahead by whoever bundled the host (the end-to-end tests name it at
 * build time, as they name the worker), else bundled now, which costs a host's start half a second.
 */
export function buildBridgeScript(): string {
  const bundled = process.env.MODLAB_BRIDGE_BUNDLE
  if (bundled && existsSync(bundled)) return readFileSync(bundled, 'utf8')
  const output = buildSync({ ...BRIDGE_BUILD, write: false }).outputFiles[0]
  if (!output) throw new Error('esbuild produced no bridge script')
  return output.text
}
