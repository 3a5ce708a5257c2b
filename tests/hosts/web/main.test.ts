import { spawn, spawnSync } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()
const ROOT = join(__dirname, '..', '..', '..')

function webHost(...args: string[]) {
  return spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(ROOT, 'src-main/hosts/web/main.ts'),
      ...args,
    ],
    { encoding: 'utf8', timeout: 20_000 },
  )
}

/** As webHost, without blocking this thread (a server of the test's own must keep listening). */
function webHostAsync(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        join(ROOT, 'src-main/hosts/web/main.ts'),
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('close', (status) => resolve({ status, stderr }))
  })
}

describe('npm run web', () => {
  it('explains its options', () => {
    const help = webHost('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('--port N')
    expect(help.stdout).toContain('loopback only')
  })

  it('exits 2 on bad usage', () => {
    expect(webHost('--port', 'eighty')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--port must be a whole number'),
    })
    expect(webHost('--bind', '0.0.0.0')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining("Unknown option '--bind'"),
    })
  })

  it('explains a port in use and exits 1, without a stack trace', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as AddressInfo).port
    // The renderer's source page: the unit tests run before "npm run build" on a fresh clone.
    const renderer = join(ROOT, 'src-renderer')
    try {
      const result = await webHostAsync(
        '--port',
        String(port),
        '--data-dir',
        tempDir(),
        '--renderer-dir',
        renderer,
      )
      expect(result.status).toBe(1)
      expect(result.stderr).toBe(
        `modlab web: port ${port} is in use (another modlab web host?); choose another with --port\n`,
      )
    } finally {
      taken.close()
    }
  })

  it('says when there is no built renderer to serve', () => {
    const empty = tempDir()
    const result = webHost('--port', '0', '--data-dir', tempDir(), '--renderer-dir', empty)
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(
      `modlab web: no built renderer in ${empty}: run "npm run build" first\n`,
    )
  })

  it('refuses to start on a database that is not SQLite, and leaves it untouched', () => {
    const dir = tempDir()
    const file = join(dir, 'modlab.db')
    writeFileSync(file, 'not sqlite')
    const result = webHost('--port', '0', '--data-dir', dir)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`${file}: is not a SQLite database`)
    expect(readFileSync(file, 'utf8')).toBe('not sqlite')
  })
})
