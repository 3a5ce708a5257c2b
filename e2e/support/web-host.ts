import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunningWebHost {
  url: string
  dataDir: string
  stop(): Promise<void>
}

const ROOT = join(__dirname, '..', '..')
/** Written by global-setup.ts; without it (a spec run outside Playwright's setup) tsx runs the source. */
export const WEB_HOST_BUNDLE = join(ROOT, 'out', 'e2e', 'web-host.cjs')
export const WORKER_BUNDLE = join(ROOT, 'out', 'e2e', 'board-worker.cjs')
export const BRIDGE_BUNDLE = join(ROOT, 'out', 'e2e', 'modlab-bridge.js')

/** Starts `src-main/hosts/web/main.ts` as a user would, on a free port and a fresh data directory. */
export async function startWebHost(
  dataDir = mkdtempSync(join(tmpdir(), 'modlab-e2e-')),
): Promise<RunningWebHost> {
  const child = spawn(
    process.execPath,
    [
      ...(existsSync(WEB_HOST_BUNDLE)
        ? [WEB_HOST_BUNDLE]
        : [
            join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
            join(ROOT, 'src-main/hosts/web/main.ts'),
          ]),
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 20_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)))
  })
  return { url, dataDir, stop: () => stop(child, dataDir) }
}

async function stop(child: ChildProcess, dataDir: string) {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
}
