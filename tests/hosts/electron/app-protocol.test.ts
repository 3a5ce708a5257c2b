import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { appProtocolHandler } from '../../../src-main/hosts/electron/app-protocol'
import { useTempDir } from '../../store/helpers'

vi.mock('electron', () => import('./fake-electron'))

const tempDir = useTempDir()

describe('the app:// protocol', () => {
  it('serves the built renderer and nothing outside it', async () => {
    const root = tempDir()
    const renderer = join(root, 'renderer')
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
    writeFileSync(join(renderer, 'assets', 'app.js'), 'export {}')
    writeFileSync(join(root, 'secret.txt'), 'secret')
    const handle = appProtocolHandler(renderer)
    const get = async (url: string) => {
      const response = await handle(new Request(url))
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      }
    }
    expect(await get('app://modlab/index.html')).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html>',
    })
    expect(await get('app://modlab/')).toMatchObject({ status: 200, body: '<!doctype html>' })
    expect(await get('app://modlab/assets/app.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    })
    for (const url of [
      'app://modlab/../secret.txt',
      'app://modlab/%2e%2e/secret.txt',
      'app://modlab/assets/..%2f..%2fsecret.txt',
      'app://modlab/%2e%2e%5csecret.txt',
      'app://modlab/index.html%00.js',
      'app://other/index.html',
      'app://modlab/missing.js',
    ]) {
      expect((await get(url)).status, url).toBe(404)
    }
  })
})
