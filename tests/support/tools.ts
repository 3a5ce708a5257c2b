import { execFileSync } from 'node:child_process'

/** True when a command-line tool is on PATH (tests that compare with a real tool skip without it). */
export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
