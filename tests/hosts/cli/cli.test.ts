import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../../src-main/hosts/cli/commands'
import { runCapturing } from './helpers'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()
const ROOT = join(__dirname, '..', '..', '..')

const cli = (...argv: string[]) => runCapturing(argv, undefined, { HOME: '/nonexistent-home' })

describe('modlab CLI', () => {
  it('lists the built-in profiles as a table and as JSON', async () => {
    const dir = tempDir()
    const text = await cli('profiles', 'list', '--data-dir', dir)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^ID\s+NAME\s+MODEL\s+NODES\s+CPUS\s+MEMORY\n/)
    expect(text.stdout).toMatch(
      /qemu-virt\s+QEMU virt \(arm64\)\s+linux,dummy-virt\s+62\s+4\s+2 GiB/,
    )
    const json = await cli('profiles', 'list', '--json', '--data-dir', dir)
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ id: 'qemu-virt', nodeCount: 62 }),
    )
  })

  it('round-trips sessions through a SQLite file in WAL mode', async () => {
    const dir = tempDir()
    const created = await cli(
      'sessions',
      'create',
      '--name',
      'mtk-timer as a module',
      '--json',
      '--data-dir',
      dir,
    )
    expect(created.code).toBe(0)
    const session = JSON.parse(created.stdout)
    expect(session).toMatchObject({ id: 1, name: 'mtk-timer as a module' })

    expect(
      (await cli('--data-dir', dir, 'sessions', 'rename', '1', 'exynos-mct', '--json')).code,
    ).toBe(0)
    const listed = JSON.parse((await cli('sessions', 'list', '--json', '--data-dir', dir)).stdout)
    expect(listed).toEqual([expect.objectContaining({ id: 1, name: 'exynos-mct' })])
    expect((await cli('sessions', 'list', '--data-dir', dir)).stdout).toMatch(
      /^\s*1\s+exynos-mct\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/m,
    )

    const db = new Database(join(dir, 'modlab.db'), { readonly: true })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.prepare('SELECT name FROM sessions').pluck().all()).toEqual(['exynos-mct'])
    db.close()

    expect(await cli('sessions', 'delete', '1', '--data-dir', dir)).toMatchObject({
      code: 0,
      stdout: 'Deleted session 1\n',
    })
    expect((await cli('sessions', 'list', '--data-dir', dir)).stdout).toMatch(/^No sessions\./)
  })

  it.each([
    [[], /Usage: modlab/],
    [['reboot'], /unknown command "reboot"/],
    [['kernel'], /"kernel" needs a command/],
    [['kernel', 'import'], /"kernel import" takes PATH/],
    [['sessions'], /"sessions" needs a command/],
    [['sessions', 'purge'], /unknown command "sessions purge"/],
    [['sessions', 'create'], /--name NAME is required/],
    [['sessions', 'create', '--nmae', 'x'], /Unknown option '--nmae'/],
    [['sessions', 'rename', '1'], /"sessions rename" takes ID NAME/],
    [['sessions', 'delete', 'one'], /ID must be a positive whole number, got "one"/],
    [['profiles', 'list', 'extra'], /"profiles list" takes no arguments/],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const result = await cli(...argv, '--data-dir', tempDir())
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
  })

  it('exits 1 on a user error, naming what was wrong', async () => {
    const dir = tempDir()
    expect(await cli('sessions', 'delete', '42', '--data-dir', dir)).toMatchObject({
      code: 1,
      stderr: 'modlab: no session with id 42\n',
    })
    expect(await cli('sessions', 'create', '--name', '   ', '--data-dir', dir)).toMatchObject({
      code: 1,
      stderr: 'modlab: sessions:create: name: a session name must not be empty\n',
    })
  })

  it('refuses a garbage database file and leaves it untouched', async () => {
    const dir = tempDir()
    const file = join(dir, 'modlab.db')
    writeFileSync(file, 'garbage '.repeat(1000))
    const result = await cli('sessions', 'create', '--name', 'x', '--data-dir', dir)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${file}: is not a SQLite database; refusing to open it`)
    expect(readFileSync(file, 'utf8')).toBe('garbage '.repeat(1000))
  })

  it('has --help on every command, and --version', async () => {
    for (const command of COMMANDS) {
      const help = await cli(...command.path, '--help')
      expect(help.code, command.usage).toBe(0)
      expect(help.stdout).toContain(`Usage: ${command.usage}`)
      expect(help.stdout).toContain('--data-dir DIR')
    }
    expect((await cli('sessions', '-h')).stdout).toContain('modlab sessions rename ID NAME')
    expect((await cli('--help')).code).toBe(0)
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
    expect((await cli('--version')).stdout).toBe(`modlab ${version}\n`)
  })

  it('prints the global options once in every help', async () => {
    const once = (text: string) => expect(text.split('Global options:').length - 1, text).toBe(1)
    once((await cli('--help')).stdout)
    once((await cli('-h')).stdout)
    once((await cli()).stderr)
    once((await cli('kernel', '--help')).stdout)
    once((await cli('run', '--help')).stdout)
    once((await cli('nonsense')).stderr)
    const bin = join(ROOT, 'bin', 'modlab.cjs')
    once(spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }).stdout)
  })

  it('runs as the installed `modlab` command with the same exit codes', () => {
    const dir = tempDir()
    const bin = join(ROOT, 'bin', 'modlab.cjs')
    const out = execFileSync(
      process.execPath,
      [bin, 'sessions', 'create', '--name', 'from bin', '--data-dir', dir],
      { encoding: 'utf8' },
    )
    expect(out).toBe('Created session 1: from bin\n')
    const missing = spawnSync(
      process.execPath,
      [bin, 'sessions', 'delete', '9', '--data-dir', dir],
      { encoding: 'utf8' },
    )
    expect(missing.status).toBe(1)
    expect(missing.stderr).toBe('modlab: no session with id 9\n')
    expect(spawnSync(process.execPath, [bin, 'nonsense'], { encoding: 'utf8' }).status).toBe(2)
  })
})

describe('modlab profile', () => {
  it('shows, exports and imports profiles', async () => {
    const dir = tempDir()
    const show = await cli('profile', 'show', 'qemu-virt', '--data-dir', dir)
    expect(show.stdout).toMatch(/^id {11}qemu-virt\n/)
    expect(show.stdout).toContain('nodes        62\n')
    const dts = await cli('profile', 'export', 'qemu-virt', '--format', 'dts', '--data-dir', dir)
    expect(dts.stdout.startsWith('/dts-v1/;\n')).toBe(true)
    const blob = join(dir, 'virt.dtb')
    expect(
      (
        await cli(
          'profile',
          'export',
          'qemu-virt',
          '--format',
          'dtb',
          '-o',
          blob,
          '--data-dir',
          dir,
        )
      ).code,
    ).toBe(0)
    expect(readFileSync(blob).readUInt32BE(0)).toBe(0xd00dfeed)
    expect(
      await cli('profile', 'export', 'qemu-virt', '--format', 'dtb', '--data-dir', dir),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('write it to a file with -o FILE'),
    })
    const imported = await cli(
      'profile',
      'import',
      blob,
      '--name',
      'Round trip',
      '--json',
      '--data-dir',
      dir,
    )
    expect(JSON.parse(imported.stdout)).toMatchObject({
      id: 'round-trip',
      nodeCount: 62,
      builtIn: false,
    })
    expect(await cli('profile', 'show', 'nothing', '--data-dir', dir)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no profile with id nothing'),
    })
  })

  it('imports a .dts with its include folders, and names the file and line of a source error', async () => {
    const dir = tempDir()
    const fixtures = join(__dirname, '..', '..', 'hardware', 'dts-fixtures')
    const board = join(fixtures, 'board.dts')
    const missing = await cli('profile', 'import', board, '--data-dir', dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(
      /soc\.dtsi:2:1: cannot find included file dt-bindings\/acme\/clock\.h/,
    )
    const imported = await cli(
      'profile',
      'import',
      board,
      '-I',
      join(fixtures, 'include'),
      '--json',
      '--data-dir',
      dir,
    )
    expect(imported.code, imported.stderr).toBe(0)
    expect(JSON.parse(imported.stdout)).toMatchObject({ id: 'board', model: 'ACME Test Board' })
    const checked = await cli(
      'profile',
      'validate',
      board,
      '-I',
      join(fixtures, 'include'),
      '--data-dir',
      dir,
    )
    expect(checked.stdout + checked.stderr).toMatch(/\d+ errors, \d+ warnings/)
  })
})
