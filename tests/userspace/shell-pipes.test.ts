import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { splitPipeline, tokenize } from '../../src-main/userspace/shell-syntax'
import { lacksTools } from '../support/tools'

const resources = join(__dirname, '../../resources')
const virt = runBoot({ profile: 'qemu-virt', resources }).shell
const virt612 = runBoot({ profile: 'qemu-virt', kernel: 'debian-6.12-arm64', resources }).shell
const run = (command: string, shell = virt) => shell.runOne(command)
const lines = (text: string) => text.split('\n').slice(0, -1)

describe('the shell grammar of pipelines', () => {
  it('splits at | outside quotes and escapes, and reports a missing command as ash does', () => {
    expect(splitPipeline(`lsmod | grep 'a|b' | wc -l`)).toEqual(['lsmod', "grep 'a|b'", 'wc -l'])
    expect(splitPipeline('echo a\\|b | grep "x|y"')).toEqual(['echo a\\|b', 'grep "x|y"'])
    expect(splitPipeline('lsmod |')).toEqual({ error: 'unexpected end of file' })
    expect(splitPipeline('| wc')).toEqual({ error: 'unexpected "|"' })
    expect(splitPipeline('lsmod || true')).toHaveProperty('error')
  })

  it('removes quotes and backslashes the way sh does', () => {
    expect(tokenize(`grep "a b" 'c d' e\\ f`).words).toEqual(['grep', 'a b', 'c d', 'e f'])
    expect(tokenize(`grep "a\\"b" "\\w" '\\w' \\\\`).words).toEqual([
      'grep',
      'a"b',
      '\\w',
      '\\w',
      '\\',
    ])
  })
})

describe('pipes on a booted board', () => {
  it('counts, filters and cuts what the kernel tools print', () => {
    const lsmod = run('lsmod').stdout
    expect(run('lsmod | wc -l').stdout).toBe(`${lines(lsmod).length}\n`)
    const modules = run('cat /proc/modules', virt612).stdout
    const virtio = lines(modules).filter((line) => line.includes('virtio')).length
    expect(virtio).toBeGreaterThan(0)
    expect(run('cat /proc/modules | grep -c virtio', virt612).stdout).toBe(`${virtio}\n`)
    const dmesg = lines(run('dmesg').stdout)
    expect(run('dmesg | tail -n 3').stdout).toBe(`${dmesg.slice(-3).join('\n')}\n`)
    const psci = dmesg.find((line) => /psci/i.test(line))
    expect(psci).toBeDefined()
    expect(run('dmesg | grep -i psci | head -1').stdout).toBe(`${psci}\n`)
    expect(run('dmesg | grep -i PSCI | grep -v conduit | wc -l').stdout).toBe(
      `${dmesg.filter((line) => /psci/i.test(line) && !line.includes('conduit')).length}\n`,
    )
  })

  it("exits with the last command's status, and names what went wrong", () => {
    expect(run('lsmod | grep no-such-module')).toMatchObject({ stdout: '', exitCode: 1 })
    expect(run('lsmod | grep -q Module')).toMatchObject({ stdout: '', exitCode: 0 })
    expect(run('lsmod | grep no-such-module | wc -l')).toMatchObject({ stdout: '0\n', exitCode: 0 })
    expect(run('lsmod | frobnicate')).toMatchObject({
      stderr: 'sh: frobnicate: not found\n',
      exitCode: 127,
    })
    const invalid = run('lsmod | grep -Z x')
    expect(invalid.exitCode).toBe(2)
    expect(invalid.stderr).toMatch(/^grep: invalid option -- 'Z'\nBusyBox v1\.35\.0/)
    expect(run('lsmod |')).toMatchObject({
      stderr: 'sh: syntax error: unexpected end of file\n',
      exitCode: 2,
    })
    expect(run('cat /nonexistent | wc -l')).toMatchObject({
      stdout: '0\n',
      stderr: "cat: can't open '/nonexistent': No such file or directory\n",
      exitCode: 0,
    })
  })

  it('refuses a pattern JavaScript would backtrack on exponentially, naming it', () => {
    expect(run(`dmesg | grep -E '(a|a)*$'`)).toMatchObject({
      stdout: '',
      stderr:
        "grep: '(a|a)*$': a repeated group that repeats or alternates inside is not supported here (it could take exponential time)\n",
      exitCode: 2,
    })
    expect(run(`dmesg | grep '\\(x*\\)*y'`).exitCode).toBe(2)
    expect(run(`dmesg | grep -c '\\(ab\\)*GIC'`).exitCode).toBe(0)
    expect(run(`dmesg | grep -cE '(psci|GIC): '`).exitCode).toBe(0)
  })

  it('keeps ; sequences, each command with its own pipeline', () => {
    const records = virt.run('lsmod | head -1; dmesg | grep -c "Run /init"')
    expect(records.map((record) => record.stdout)).toEqual([
      'Module                  Size  Used by\n',
      '1\n',
    ])
  })
})

/** The filters run on the board's own output, against busybox 1.35 (this shell) and GNU grep. */
const FILTERS = [
  'grep -c virtio',
  'grep -i PSCI',
  'grep -E "psci|GIC(v3)?"',
  "grep '\\(psci\\|clocksource\\): '",
  "grep -n 'Memory: [0-9]\\+K'",
  "grep -w 'cpu'",
  "grep -x ''",
  'grep -v "\\["',
  "grep -F '(none)'",
  "grep -o 'clocksource: [a-z_]*'",
  "grep '[[:digit:]]\\{6\\}] [A-Z]'",
  "grep -E '^\\[ +0\\.0{6}\\] (Linux|Machine)'",
  'grep -e timer -e clock -c',
  "grep 'a.b*c'",
  'grep -q psci',
  'grep nothing-matches-this',
  'head',
  'head -n 3',
  'head -3',
  'head -n -20',
  'tail -n 2',
  'tail -1',
  'tail -n +700',
  'wc',
  'wc -l',
  'wc -w',
  'wc -c',
  'wc -lw',
  'head -5 | wc -c',
]
const ERRORS = [
  'grep -Z x',
  'grep',
  "grep '\\('",
  "grep -E 'a(b'",
  "grep '[ab'",
  'head -Z',
  'head -n x',
  'tail -n',
  'wc -Z',
  'grep --count x',
]
const FILES = [
  'grep -c virtio proc/modules sys/kernel/debug/devices_deferred',
  'grep -l fw_cfg proc/modules proc/cmdline',
  'head -n 2 proc/modules proc/cmdline',
  'tail -n 1 proc/modules',
  'wc proc/modules proc/cmdline',
  'wc -l proc/modules',
  'grep x no/such/file',
  'head no/such/file',
  'tail no/such/file',
  'wc no/such/file',
]

describe.skipIf(lacksTools('busybox'))('the text filters, against busybox and GNU grep', () => {
  const dmesg = run('dmesg', virt612).stdout
  const root = mkdtempSync(join(tmpdir(), 'modlab-pipes-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  // busybox's applets, not the machine's coreutils: a PATH of links to busybox.
  const bin = join(root, 'bin')
  mkdirSync(bin)
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim()
  for (const applet of ['grep', 'head', 'tail', 'wc', 'cat'])
    symlinkSync(busybox, join(bin, applet))
  const shell = (command: string, input: string, cwd?: string) => {
    const real = spawnSync(busybox, ['sh', '-c', command], {
      input,
      cwd,
      encoding: 'utf8',
      env: { PATH: bin, LC_ALL: 'C' },
    })
    return { stdout: real.stdout, stderr: real.stderr, exitCode: real.status }
  }
  const ours = (command: string) => {
    const { stdout, stderr, exitCode } = run(command, virt612)
    return { stdout, stderr, exitCode }
  }

  it.each(FILTERS)('dmesg | %s', (filter) => {
    expect(ours(`dmesg | ${filter}`)).toEqual(shell(filter, dmesg))
  })

  it.each(ERRORS)('%s, as busybox answers it', (filter) => {
    expect(ours(`dmesg | ${filter}`)).toEqual(shell(filter, dmesg))
  })

  for (const path of ['proc/modules', 'proc/cmdline', 'sys/kernel/debug/devices_deferred']) {
    mkdirSync(join(root, dirname(path)), { recursive: true })
    writeFileSync(join(root, path), run(`cat /${path}`, virt612).stdout)
  }
  it.each(FILES)('%s, the files of the simulated system', (command) => {
    expect(ours(command)).toEqual(shell(command, '', root))
  })

  it.skipIf(lacksTools('grep'))('matches the lines GNU grep matches', () => {
    for (const filter of FILTERS.filter((f) => f.startsWith('grep'))) {
      const real = spawnSync('sh', ['-c', filter], {
        input: dmesg,
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
      })
      const mine = ours(`dmesg | ${filter}`)
      expect({ filter, stdout: mine.stdout, exitCode: mine.exitCode }).toEqual({
        filter,
        stdout: real.stdout,
        exitCode: real.status,
      })
    }
  })
})
