import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { rendererEntry } from '../../../src-main/hosts/electron/renderer-entry'
import type * as FakeElectron from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

/** Runs main.ts afresh and returns the very fake `electron` it was given. */
async function startMain(dataDir: string) {
  process.env.MODLAB_DATA_DIR = dataDir
  vi.resetModules()
  const fake = (await import('electron')) as unknown as typeof FakeElectron
  fake.resetFakeElectron()
  await import('../../../src-main/hosts/electron/main')
  await vi.waitFor(() => expect(fake.app.whenReady).toHaveBeenCalled())
  await new Promise((resolve) => setImmediate(resolve))
  return fake
}

describe('the Electron main process', () => {
  let dataDir: string
  let quit: (() => void) | undefined
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'modlab-main-'))
  })
  afterEach(() => {
    quit?.()
    delete process.env.MODLAB_DATA_DIR
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('sandboxes every renderer, opens the store in the data directory and serves the API to its window', async () => {
    const fake = await startMain(dataDir)
    const { app, ipcMain, FakeBrowserWindow } = fake
    quit = () => app.emit('will-quit')
    expect(app.setPath).toHaveBeenCalledWith('userData', dataDir)
    expect(app.enableSandbox).toHaveBeenCalled()
    expect(FakeBrowserWindow.instances).toHaveLength(1)
    expect(existsSync(join(dataDir, 'modlab.db'))).toBe(true)

    const own = {
      senderFrame: { url: rendererEntry(true).url, parent: null },
      sender: new fake.FakeWebContents(rendererEntry(true).url),
    }
    const created = await ipcMain.handlers.get('sessions:create')?.(own, {
      name: 'from the window',
    })
    expect(created).toMatchObject({ ok: true, value: { id: 1, name: 'from the window' } })
    const info = await ipcMain.handlers.get('app:info')?.(own, {})
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', dataDir } })
  })

  it('explains a refused database and exits instead of opening a window', async () => {
    writeFileSync(join(dataDir, 'modlab.db'), 'not a database at all')
    const { app, dialog, FakeBrowserWindow } = await startMain(dataDir)
    quit = undefined
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      'modlab cannot start',
      expect.stringMatching(/is not a SQLite database/),
    )
    expect(app.exit).toHaveBeenCalledWith(1)
    expect(FakeBrowserWindow.instances).toHaveLength(0)
  })
})
