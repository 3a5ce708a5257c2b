import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DATABASE_FILE_NAME, openStore } from '../../src-main/store/database'
import { MIGRATIONS } from '../../src-main/store/migrations'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()

describe('migration 6: session events', () => {
  it('turns the boots and shell commands of a schema-5 database into ordered events', () => {
    const dir = tempDir()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) db.exec(migration.sql)
    db.pragma('user_version = 5')
    const at = '2026-11-01T00:00:00.000Z'
    db.prepare("INSERT INTO sessions VALUES (1, 'old', ?, ?)").run(at, at)
    for (const boot of [1, 2])
      db.prepare(
        "INSERT INTO boots VALUES (?, 1, 'qemu-virt', 'debian-6.1-arm64', '', 0, '[]', '0.1.0', 'running', ?)",
      ).run(boot, at)
    for (let seq = 0; seq < 5; seq++)
      db.prepare('INSERT INTO boot_records VALUES (1, ?, ?, 6, ?, NULL)').run(
        seq,
        seq,
        `line ${seq}`,
      )
    db.prepare(
      "INSERT INTO shell_commands VALUES (1, 0, 'lsmod', 'Module', '', 0, -1, 0), (1, 1, 'modprobe x', '', '', 0, 3, 2)",
    ).run()
    db.close()

    const store = openStore(dir)
    const events = store.events.list(1)
    expect(events.map((e) => [e.seq, e.kind, e.bootId])).toEqual([
      [0, 'boot', 1],
      [1, 'shell', 1],
      [2, 'shell', 1],
      [3, 'boot', 2],
    ])
    expect(events[0]).toMatchObject({
      engineVersion: '0.1.0',
      action: { profile: 'qemu-virt', faults: [], series: [], config: {} },
      result: { outcome: 'running', records: 3 },
    })
    expect(events[2]?.result).toMatchObject({ firstRecord: 3, recordCount: 2 })
    store.close()
  })
})
