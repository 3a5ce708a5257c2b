import { describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { join } from 'node:path'

const { shell } = runBoot({ profile: 'qemu-virt', resources: join(__dirname, '../../resources') })
const run = (command: string) => shell.runOne(command)

describe('uname, as Debian 12 busybox prints it', () => {
  it('prints the kernel name by default, and every known field with -a', () => {
    expect(run('uname').stdout).toBe('Linux\n')
    expect(run('uname -a').stdout).toBe(
      'Linux (none) 6.1.0-56-arm64 #1 SMP Debian 6.1.192-2 (2026-11-16) aarch64 GNU/Linux\n',
    )
  })

  it('prints fields in their own order, whatever the order of the flags', () => {
    expect(run('uname -r').stdout).toBe('6.1.0-56-arm64\n')
    expect(run('uname -m').stdout).toBe('aarch64\n')
    expect(run('uname -m -r').stdout).toBe('6.1.0-56-arm64 aarch64\n')
    expect(run('uname -p').stdout).toBe('unknown\n')
  })

  it('refuses an unknown option with its usage', () => {
    const result = run('uname -x')
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toMatch(/^uname: invalid option -- 'x'\nBusyBox v1\.35\.0/)
  })
})
