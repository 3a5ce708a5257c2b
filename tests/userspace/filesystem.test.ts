import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { createFile } from '../../src-main/userspace/files'

const resources = join(__dirname, '../../resources')

describe('the directories above the pseudo-files', () => {
  it('lists what this boot mounts, from / down, and the plain files a session created', () => {
    const { shell } = runBoot({ profile: 'qemu-virt', resources })
    const ls = (path: string) => shell.runOne(`ls ${path}`)
    expect(ls('/sys').stdout).toBe('bus\nclass\ndevices\nkernel\nmodule\n')
    expect(ls('/proc').stdout).toBe('cmdline\nmeminfo\nmodules\nsys\ntimer_list\n')
    expect(ls('/sys/devices/system').stdout).toBe('clockevents\nclocksource\n')
    expect(ls('/sys/bus/platform').stdout).toBe('devices\ndrivers\n')
    // Only what this boot has: no free-unused option, so debugfs shows no free_unused_builtin.
    expect(ls('/sys/kernel/debug').stdout).not.toContain('free_unused_builtin')
    expect(ls('/sys/kernel/debug').stdout).toContain('devices_deferred\n')
    createFile(shell.system, '/lab/x.ko', new Uint8Array([0x7f]))
    expect(ls('/').stdout).toBe('lab\nlib\nproc\nsys\n')
    expect(ls('/nope')).toMatchObject({
      exitCode: 1,
      stderr: 'ls: /nope: No such file or directory\n',
    })
  })
})
