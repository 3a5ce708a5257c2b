import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Where the window's page comes from: electron-vite's dev server in development, the built file otherwise. */
export interface RendererEntry {
  devServerUrl?: string
  file: string
}

export function rendererEntry(
  isPackaged: boolean,
  env: NodeJS.ProcessEnv = process.env,
): RendererEntry {
  const devServerUrl = !isPackaged ? env.ELECTRON_RENDERER_URL : undefined
  return { devServerUrl, file: join(__dirname, '..', 'renderer', 'index.html') }
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
  const own = pathToFileURL(entry.file)
  return parsed.protocol === 'file:' && parsed.pathname === own.pathname
}
