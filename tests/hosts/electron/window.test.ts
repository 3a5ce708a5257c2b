import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMainWindow } from '../../../src-main/hosts/electron/window'
import { resetFakeElectron, type FakeBrowserWindow } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

describe('createMainWindow', () => {
  beforeEach(resetFakeElectron)

  it('creates a hidden, sandboxed, isolated window and shows it when ready', () => {
    const window = createMainWindow({
      rendererDir: '/app/out/renderer',
      url: 'app://modlab/index.html',
    }) as unknown as FakeBrowserWindow
    expect(window.options.show).toBe(false)
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    })
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(
      new RegExp(`${join('preload', 'index.js').replace('.', '\\.')}$`),
    )
    expect(window.loaded).toEqual({ url: 'app://modlab/index.html' })
    expect(window.shown).toBe(false)
    window.emit('ready-to-show')
    expect(window.shown).toBe(true)
  })

  it('loads the dev server in development', () => {
    const window = createMainWindow({
      rendererDir: '/x',
      devServerUrl: 'http://localhost:5173',
      url: 'http://localhost:5173',
    }) as unknown as FakeBrowserWindow
    expect(window.loaded).toEqual({ url: 'http://localhost:5173' })
  })
})
