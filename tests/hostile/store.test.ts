import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { DtNode } from '../../src-main/hardware/devicetree'
import { writeFdt } from '../../src-main/hardware/fdt-writer'
import { createAppContext } from '../../src-main/hosts/app-context'
import {
  DATABASE_FILE_NAME,
  openFailure,
  openStore,
  StoreError,
} from '../../src-main/store/database'
import { SCHEMA_VERSION } from '../../src-main/store/migrations'
import { ProfileRefusedError } from '../../src-main/store/profiles-repository'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()

function deepBlob(depth: number): Uint8Array {
  let node: DtNode = { name: 'n', properties: [], children: [] }
  for (let level = 2; level < depth; level++) node = { name: 'n', properties: [], children: [node] }
  return writeFdt({
    root: { name: '', properties: [], children: [node] },
    memoryReservations: [],
    bootCpuId: 0,
  })
}

const profileRow = (id: string, dtb: Uint8Array) => ({
  id,
  name: id,
  description: '',
  bootargs: '',
  sourceFile: `${id}.dtb`,
  sha256: id,
  dtb,
  labels: '{}',
})

describe('the store against hostile input', () => {
  it('refuses a profile it could not read back (a tree deeper than 64), keeping nothing', () => {
    const store = openStore(tempDir())
    expect(() => store.profiles.create(profileRow('deep', deepBlob(100)))).toThrow(
      ProfileRefusedError,
    )
    expect(() => store.profiles.create(profileRow('deep', deepBlob(100)))).toThrow(
      /the profile "deep" cannot be stored: nodes nested deeper than 64/,
    )
    expect(store.profiles.list()).toEqual([])
    store.profiles.create(profileRow('fine', deepBlob(64)))
    expect(() => store.profiles.update('fine', { ...profileRow('fine', deepBlob(65)) })).toThrow(
      ProfileRefusedError,
    )
    expect(new Uint8Array(store.profiles.get('fine')?.dtb ?? [])).toEqual(deepBlob(64))
    store.close()
  })

  it('lists the readable profiles and flags an unreadable row by its id instead of failing', async () => {
    const dir = tempDir()
    openStore(dir).close()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    db.prepare(
      `INSERT INTO profiles (id, name, description, bootargs, source_file, sha256, dtb, labels, created_at, updated_at)
       VALUES ('broken', 'Broken', '', '', 'b.dtb', 'x', X'00', '{}', 'now', 'now')`,
    ).run()
    db.close()
    const context = createAppContext({ host: 'cli', dataDir: dir })
    const listed = await context.dispatch('profiles:list', {})
    context.close()
    expect(listed.ok).toBe(true)
    const profiles = listed.ok ? (listed.value as { id: string; problem?: string }[]) : []
    expect(profiles.find((profile) => profile.id === 'qemu-virt')).toBeDefined()
    expect(profiles.find((profile) => profile.id === 'broken')?.problem).toMatch(
      /^cannot be read \(.+\); delete it with its id, broken$/,
    )
  })

  it('says "not writable", not "corrupt", for SQLite and system permission errors', () => {
    const dir = tempDir()
    openStore(dir).close()
    const file = join(dir, DATABASE_FILE_NAME)
    const readOnly = new Database(file, { readonly: true })
    let readonlyError: unknown
    try {
      readOnly
        .prepare("INSERT INTO sessions (name, created_at, updated_at) VALUES ('x', '', '')")
        .run()
    } catch (error) {
      readonlyError = error
    }
    readOnly.close()
    let cantOpen: unknown
    try {
      new Database(dir).pragma('user_version') // a folder: SQLITE_CANTOPEN
    } catch (error) {
      cantOpen = error
    }
    expect(cantOpen).toMatchObject({ code: 'SQLITE_CANTOPEN' })
    expect(readonlyError).toMatchObject({ code: 'SQLITE_READONLY' })
    for (const error of [
      readonlyError,
      cantOpen,
      Object.assign(new Error('denied'), { code: 'EACCES' }),
    ]) {
      expect(openFailure(file, error).message).toMatch(
        /: is not writable \(.+\); modlab needs to write/,
      )
      expect(openFailure(file, error).message).not.toMatch(/corrupt/)
    }
  })

  it('refuses a newer database with a live WAL without checkpointing it', () => {
    const source = tempDir()
    const writer = new Database(join(source, DATABASE_FILE_NAME))
    writer.pragma('journal_mode = WAL')
    writer.pragma('wal_autocheckpoint = 0')
    writer.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3)')
    writer.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    // What a crash leaves behind: the database and its WAL, with nobody holding them.
    const dir = tempDir()
    for (const suffix of ['', '-wal'])
      copyFileSync(
        join(source, DATABASE_FILE_NAME + suffix),
        join(dir, DATABASE_FILE_NAME + suffix),
      )
    writer.close()
    const file = join(dir, DATABASE_FILE_NAME)
    const before = [readFileSync(file), readFileSync(`${file}-wal`)]
    expect(before[1]?.length).toBeGreaterThan(0)
    expect(() => openStore(dir)).toThrow(/was written by a newer modlab/)
    expect([readFileSync(file), readFileSync(`${file}-wal`)]).toEqual(before)
    expect(readdirSync(dir).sort()).toEqual([DATABASE_FILE_NAME, `${DATABASE_FILE_NAME}-wal`])
  })

  it('checks every page at every open (PRAGMA quick_check), after a clean shutdown too', () => {
    const dir = tempDir()
    const store = openStore(dir)
    for (let i = 0; i < 2000; i++) store.sessions.create(`session ${i} ${'x'.repeat(80)}`)
    store.close()
    const file = join(dir, DATABASE_FILE_NAME)
    expect(existsSync(`${file}-wal`)).toBe(false)
    const bytes = readFileSync(file)
    const lastPage = bytes.length - 4096
    bytes.fill(0x5a, lastPage + 8, bytes.length) // a leaf page of sessions, wrecked
    writeFileSync(file, bytes)
    expect(() => openStore(dir)).toThrow(StoreError)
    expect(() => openStore(dir)).toThrow(/is corrupt \(PRAGMA quick_check: /)
    expect(readFileSync(file)).toEqual(bytes) // left untouched
  })

  it("creates a boot's new session in the boot's transaction: a failed boot leaves no session", () => {
    const store = openStore(tempDir())
    const inputs = {
      newSessionName: 'qemu-virt · debian-6.1-arm64',
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: '',
      seed: 1,
      faults: [],
      engineVersion: 'x',
      outcome: 'running',
    }
    const record = { seq: 0, timestampNs: 0, level: 6, text: 'a' }
    expect(() => store.boots.record(inputs, [record, record])).toThrow(/rising seq order/)
    expect(store.sessions.list()).toEqual([])
    const boot = store.boots.record(inputs, [record])
    expect(store.sessions.list().map((session) => session.id)).toEqual([boot.sessionId])
    store.close()
  })

  it('pages sessions:list, newest first, and keeps {} meaning the newest page', async () => {
    const dir = tempDir()
    const context = createAppContext({ host: 'cli', dataDir: dir })
    for (let i = 1; i <= 5; i++) await context.dispatch('sessions:create', { name: `s${i}` })
    const names = async (request: unknown) => {
      const result = await context.dispatch('sessions:list', request)
      return result.ok ? (result.value as { name: string }[]).map((s) => s.name) : result.error
    }
    expect(await names({})).toEqual(['s5', 's4', 's3', 's2', 's1'])
    expect(await names({ offset: 1, limit: 2 })).toEqual(['s4', 's3'])
    expect(await names({ limit: 1001 })).toMatchObject({ code: 'invalid-request' })
    context.close()
  })
})
