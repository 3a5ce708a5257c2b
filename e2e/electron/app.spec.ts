import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { API_CHANNELS } from '../../src-main/api/channels'

const ROOT = join(__dirname, '..', '..')

/** The Electron binary, found without requiring 'electron' (which would try to download it). */
function electronBinary(): string | undefined {
  if (process.env.ELECTRON_PATH)
    return existsSync(process.env.ELECTRON_PATH) ? process.env.ELECTRON_PATH : undefined
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const binary = join(
    ROOT,
    'node_modules',
    'electron',
    'dist',
    readFileSync(pathFile, 'utf8').trim(),
  )
  return existsSync(binary) ? binary : undefined
}

const binary = electronBinary()

test.describe('desktop app', () => {
  test.skip(
    !binary,
    'No Electron binary: node_modules/electron/dist is absent (it is downloaded on first use, which needs the network). Set ELECTRON_PATH to run these.',
  )

  test('opens a secure window whose sessions round-trip through SQLite', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'modlab-electron-'))
    const app = await electron.launch({
      executablePath: binary,
      args: [join(ROOT, 'out', 'main', 'index.js')],
      env: { ...process.env, MODLAB_DATA_DIR: dataDir },
    })
    try {
      const page = await app.firstWindow()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device profiles')
      const shape = await page.evaluate(() => ({
        frozen: Object.isFrozen(window.modlab),
        channels: Object.entries(window.modlab).flatMap(([domain, methods]) =>
          Object.keys(methods as object).map((verb) => `${domain}:${verb}`),
        ),
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }))
      expect(shape).toEqual({
        frozen: true,
        channels: [...API_CHANNELS],
        require: 'undefined',
        process: 'undefined',
      })
      const created = await page.evaluate(() =>
        window.modlab.sessions.create({ name: 'from electron' }),
      )
      expect(created.name).toBe('from electron')
      expect(existsSync(join(dataDir, 'modlab.db'))).toBe(true)
      const opened = await page.evaluate(() => window.open('https://example.org') === null)
      expect(opened).toBe(true)
      expect(problems).toEqual([])
    } finally {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
