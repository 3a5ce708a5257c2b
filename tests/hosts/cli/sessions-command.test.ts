import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { changeStoredTexts, useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

/** A data directory with session 1: a boot of virt (seed 0), then a run of a script on it. */
async function recorded(dir: string, seed = '0') {
  const run = (...argv: string[]) => runCapturing(argv, dir)
  expect((await run('sessions', 'create', '--name', `virt seed ${seed}`)).code).toBe(0)
  const id = JSON.parse((await run('sessions', 'list', '--json')).stdout)[0].id as number
  const boot = await run('boot', '--profile', 'qemu-virt', '--seed', seed, '--session', String(id))
  expect(boot).toMatchObject({
    code: 0,
    stderr: `modlab: saved as boot ${id * 2 - 1} in session ${id}\n`,
  })
  const script = await run(
    'run',
    '--profile',
    'qemu-virt',
    '--seed',
    seed,
    '-e',
    'rmmod gpio_keys; lsmod',
    '--session',
    String(id),
  )
  expect(script.code).toBe(0)
  expect(script.stderr).toBe(`modlab: recorded as action 1 (boot ${id * 2}) of session ${id}\n`)
  return { run, id }
}

describe('modlab sessions', () => {
  it('boot and run record into the session --session names; show lists the actions', async () => {
    const { run } = await recorded(tempDir())
    const shown = await run('sessions', 'show', '1')
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(
      /^ {4}0 {2}boot qemu-virt on debian-6\.1-arm64 "console=ttyAMA0" {2}=> running: \/init is running, \d+ kernel records\n {4}1 {2}run qemu-virt on debian-6\.1-arm64 "console=ttyAMA0", script "rmmod gpio_keys; lsmod" {2}=> running: \/init is running, \d+ kernel records\n$/,
    )
    expect(await run('boot', '--profile', 'qemu-virt', '--session', '7')).toMatchObject({
      code: 1,
      stderr: 'modlab: no session with id 7\n',
    })
    expect((await run('boot', '--profile', 'qemu-virt', '--session', 'x')).stderr).toMatch(
      /--session must be a positive whole number, got "x"/,
    )
  })

  it('replay exits 0 when identical and 1 at the first divergence, naming it', async () => {
    const dir = tempDir()
    const { run } = await recorded(dir)
    const same = await run('sessions', 'replay', '1')
    expect(same).toMatchObject({ code: 0, stderr: '' })
    expect(same.stdout).toBe(
      'Replayed session 1 "virt seed 0": 2 of 2 actions on engine 0.2.0\nidentical: every kernel record, tool output and exit code\n',
    )
    changeStoredTexts(
      join(dir, 'modlab.db'),
      1,
      (seq) => seq === 41,
      () => 'changed engine output',
    )
    const diverged = await run('sessions', 'replay', '1')
    expect(diverged.code).toBe(1)
    expect(diverged.stdout).toMatch(
      /diverged at action 0 \(boot\): kernel record 42 of \d+ \(seq 41\)\n {2}expected: <5>\[ {4}0\.000000\] changed engine output\n {2}got: {6}<5>\[ {4}0\.000000\] Kernel command line: console=ttyAMA0\n$/,
    )
    const json = JSON.parse((await run('sessions', 'replay', '1', '--json')).stdout)
    expect(json).toMatchObject({ identical: false, divergence: { event: 0, kind: 'boot' } })
  })

  it('export -o FILE, then import into a fresh data directory, replays identical', async () => {
    const { run } = await recorded(tempDir())
    const file = join(tempDir(), 'session.json')
    const exported = await run('sessions', 'export', '1', '-o', file)
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(
      new RegExp(`^Exported session 1 to ${file}: 2 actions, 2 boots, 2 snapshots \\(.+\\)\\n$`),
    )
    const fresh = tempDir()
    const imported = await runCapturing(['sessions', 'import', file], fresh)
    expect(imported).toMatchObject({
      code: 0,
      stdout: `Imported ${file} as session 1: virt seed 0 (2 boots)\n`,
    })
    expect((await runCapturing(['sessions', 'replay', '1'], fresh)).code).toBe(0)

    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('rmmod gpio_keys', 'rmmod virtio_mmio'))
    const tampered = await runCapturing(['sessions', 'import', file], fresh)
    expect(tampered.code).toBe(1)
    expect(tampered.stderr).toMatch(
      /^modlab: .*session\.json: the session export is refused: its content does not match its checksum/,
    )
    writeFileSync(file, text.slice(0, 1000))
    expect((await runCapturing(['sessions', 'import', file], fresh)).stderr).toMatch(
      /not a complete JSON file, truncated or damaged/,
    )
    expect(
      JSON.parse((await runCapturing(['sessions', 'list', '--json'], fresh)).stdout),
    ).toHaveLength(1)
  })

  it('diff shows the actions, the dmesg without timestamps, and devices and modules that differ', async () => {
    const dir = tempDir()
    await recorded(dir, '0')
    const { run } = await recorded(dir, '5')
    const boots = await run('sessions', 'diff', '1', '3', '--boots')
    // Another seed moves timestamps only: with them set aside, the two boots agree.
    expect(boots).toMatchObject({
      code: 0,
      stdout:
        '== boot 1 against boot 3\n-- dmesg: the same (timestamps set aside)\n-- devices: the same states\n-- modules: the same loaded\n',
    })
    const rmmod = await run('sessions', 'diff', '1', '2', '--boots')
    expect(rmmod.code).toBe(1)
    expect(rmmod.stdout).toContain('-- devices that differ:\n  gpio-keys: bound -> no-driver\n')
    expect(rmmod.stdout).toContain('-- modules loaded on one side only:\n  - gpio_keys\n')
    await run('boot', '--profile', 'qemu-virt', '--fault', 'rtc-pl031:fail:EIO', '--session', '2')
    const fault = await run('sessions', 'diff', '1', '5', '--boots')
    expect(fault.code).toBe(1)
    expect(fault.stdout).toMatch(
      /--- boot 1\n\+\+\+ boot 5\n@@ [^\n]+ @@\n(?: [^\n]*\n){3}-rtc-pl031 9010000\.pl031: registered as rtc0\n-[^\n]+\n\+rtc-pl031: probe of 9010000\.pl031 failed with error -5\n/,
    )
    expect(fault.stdout).toContain('  9010000.pl031: bound -> failed\n')
    const sessions = await run('sessions', 'diff', '1', '2')
    expect(sessions.code).toBe(1)
    expect(sessions.stdout).toMatch(
      /^== actions that differ \(session 1 \| session 2\):\n {2}0: boot qemu-virt on debian-6\.1-arm64 "console=ttyAMA0"\n {3}\| boot qemu-virt on debian-6\.1-arm64 "console=ttyAMA0", seed 5\n/,
    )
  })
})
