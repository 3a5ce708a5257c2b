import { join } from 'node:path'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { consoleLines, ROOT, stripTimestamp } from '../helpers'

const cache = new Map<string, string[]>()

/** A built-in board's console on Debian 6.12, without timestamps (one boot per board and command line). */
export function boardConsole(board: string, cmdline?: string): string[] {
  const key = `${board}\0${cmdline ?? ''}`
  let lines = cache.get(key)
  if (!lines) {
    const run = runBoot({
      profile: board,
      kernel: 'debian-6.12-arm64',
      resources: join(ROOT, 'resources'),
      ...(cmdline !== undefined ? { cmdline } : {}),
    })
    lines = consoleLines(run.kernel).map(stripTimestamp)
    cache.set(key, lines)
  }
  return lines
}
