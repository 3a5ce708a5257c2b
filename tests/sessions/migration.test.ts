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

describe('migration 7: the kernel log in chunks', () => {
  it("moves every boot's records from a row each to chunks, in order, with their devices", () => {
    const dir = tempDir()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    for (const migration of MIGRATIONS.filter((m) => m.version <= 6)) db.exec(migration.sql)
    db.pragma('user_version = 6')
    const at = '2026-11-01T00:00:00.000Z'
    db.prepare("INSERT INTO sessions VALUES (1, 'old', ?, ?)").run(at, at)
    for (const boot of [1, 2, 3])
      db.prepare(
        "INSERT INTO boots VALUES (?, 1, 'qemu-virt', 'debian-6.1-arm64', '', 0, '[]', '0.2.0', 'running', ?)",
      ).run(boot, at)
    const records = (boot: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        seq: i * (boot === 2 ? 3 : 1),
        timestampNs: i * 977 + boot,
        level: i % 8,
        text: `boot ${boot} line ${i}`,
        ...(i % 5 === 0 ? { device: `d${i}` } : {}),
      }))
    const insert = db.prepare('INSERT INTO boot_records VALUES (?, ?, ?, ?, ?, ?)')
    // Inserted out of order: the migration reads them by seq.
    db.transaction(() => {
      for (const [boot, count] of [
        [1, 2100],
        [2, 40],
      ] as const)
        for (const r of records(boot, count).reverse())
          insert.run(boot, r.seq, r.timestampNs, r.level, r.text, r.device ?? null)
    })()
    db.close()

    const store = openStore(dir)
    expect(store.boots.records(1)).toEqual(records(1, 2100))
    expect(store.boots.records(2)).toEqual(records(2, 40))
    expect(store.boots.records(3)).toEqual([])
    expect(store.boots.list(1).map((boot) => boot.records)).toEqual([2100, 40, 0])
    expect(store.boots.recordsPage(1, 1020, 8)).toEqual(records(1, 2100).slice(1020, 1028))
    store.close()
    const after = new Database(join(dir, DATABASE_FILE_NAME), { readonly: true })
    const tables = after
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all()
    expect(tables).toContain('boot_log')
    expect(tables).not.toContain('boot_records')
    expect(after.prepare('SELECT COUNT(*) FROM boot_log WHERE boot_id = 1').pluck().get()).toBe(3)
    after.close()
  })
})
