import { spawn } from 'node:child_process'
import { closeSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DATABASE_FILE_NAME, openStore } from '../../src-main/store/database'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()
const ROOT = join(__dirname, '..', '..')

describe('durability', () => {
  it('a process killed with SIGKILL mid-session loses no acknowledged event', async () => {
    const dataDir = tempDir()
    const child = spawn(
      process.execPath,
      // tsx as a loader, not its CLI: the CLI runs the script in a child of its own, which a
      // SIGKILL of the CLI would leave running.
      [
        '--import',
        'tsx',
        join(__dirname, 'fixtures', 'record-forever.ts'),
        dataDir,
        join(ROOT, 'resources'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let output = ''
    let errors = ''
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    )
    // Kill it while it is writing, once it acknowledged a few thousand events.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (/acked \d{4,}\n/.test(output.slice(-100)) && child.kill('SIGKILL')) resolve()
      })
      child.on('exit', () => reject(new Error(`the recorder exited by itself: ${errors}`)))
    })
    expect(await exited).toBe('SIGKILL')
    const acked = [...output.matchAll(/acked (\d+)\n/g)].map((match) => Number(match[1]))
    const sessionId = Number(/session (\d+)/.exec(output)?.[1])
    expect(acked.length).toBeGreaterThanOrEqual(1000)

    const store = openStore(dataDir) // quick_check runs at open
    const events = store.events.list(sessionId)
    expect(events.length).toBeGreaterThanOrEqual(acked.length)
    for (const seq of acked)
      expect(events[seq]).toMatchObject({
        seq,
        kind: 'shell',
        action: { command: `echo ${seq}` },
        result: { stdout: `${seq}\n` },
      })
    store.close()
  }, 60_000)

  it('checks the database at open (PRAGMA quick_check) and names what it found', () => {
    const dir = tempDir()
    const store = openStore(dir)
    for (let n = 0; n < 3000; n++) store.sessions.create(`session number ${n}`)
    store.close()
    const file = join(dir, DATABASE_FILE_NAME)
    const page = 4096
    const fd = openSync(file, 'r+')
    const middle = Math.floor(statSync(file).size / page / 2) * page
    writeSync(fd, Buffer.alloc(page, 0x55), 0, page, middle)
    closeSync(fd)
    expect(() => openStore(dir)).toThrow(
      /modlab\.db: is corrupt \(PRAGMA quick_check: .+\); refusing to open it \(the file was left untouched\)/,
    )
  })
})
