import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readStaticFile } from '../../../src-main/hosts/web/static-files'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()

describe('readStaticFile', () => {
  function site() {
    const parent = tempDir()
    const root = join(parent, 'renderer')
    mkdirSync(join(root, 'assets'), { recursive: true })
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(parent, 'secret.txt'), 'secret')
    return root
  }

  it('serves files under the root with their content type', async () => {
    const file = await readStaticFile(site(), '/assets/app.js')
    expect(file?.contentType).toBe('text/javascript; charset=utf-8')
    expect(file?.body.toString()).toBe('console.log(1)')
  })

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/assets',
    '/missing.js',
    '/a%00.js',
    '/%E0%A4%A',
  ])('never serves %s', async (path) => {
    expect(await readStaticFile(site(), path)).toBeUndefined()
  })
})
