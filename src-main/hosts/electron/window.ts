import { join } from 'node:path'
import { BrowserWindow, nativeTheme, type WebPreferences } from 'electron'
import type { RendererEntry } from './renderer-entry'

export const SECURE_WEB_PREFERENCES: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
}

/** The main window, created hidden and shown once its first paint is ready. */
export function createMainWindow(entry: RendererEntry): BrowserWindow {
  const window = new BrowserWindow({
    show: false,
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'modlab',
    autoHideMenuBar: true,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#f7f8fa',
    webPreferences: {
      ...SECURE_WEB_PREFERENCES,
      preload: join(__dirname, '..', 'preload', 'index.js'),
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(entry.url)
  return window
}
