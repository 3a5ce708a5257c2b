import { join } from 'node:path'

/** The renderer is served as `app://modlab/...` (app-protocol.ts): an origin of its own, unlike every `file://`. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'modlab'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Where the window's page comes from: electron-vite's dev server in development, app:// otherwise. */
export interface RendererEntry {
  devServerUrl?: string
  /** The built renderer, which app:// serves. */
  rendererDir: string
  /** The page's address. */
  url: string
}

export function rendererEntry(
  isPackaged: boolean,
  env: NodeJS.ProcessEnv = process.env,
): RendererEntry {
  const devServerUrl = !isPackaged ? env.ELECTRON_RENDERER_URL : undefined
  return {
    devServerUrl,
    rendererDir: join(__dirname, '..', 'renderer'),
    url: devServerUrl ?? APP_ENTRY_URL,
  }
}

/** True for our own page (any route of it), and nothing else. */
export function isOwnPage(entry: RendererEntry, url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (entry.devServerUrl) return parsed.origin === new URL(entry.devServerUrl).origin
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.pathname === new URL(APP_ENTRY_URL).pathname
  )
}
