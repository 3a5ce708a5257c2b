import type BetterSqlite3 from 'better-sqlite3'
import { readFdt } from '../hardware/fdt'

/** A profile the store will not keep: it could not be read back. Nothing was written. */
export class ProfileRefusedError extends Error {
  override name = 'ProfileRefusedError'
}

/** A row is checked whole before it is written: every listing reads it back. */
function checkReadable(row: Pick<ImportedProfileRow, 'name' | 'dtb' | 'labels'>): void {
  try {
    readFdt(row.dtb)
    const labels: unknown = JSON.parse(row.labels)
    if (typeof labels !== 'object' || labels === null || Array.isArray(labels))
      throw new Error('its labels are not a path → labels map')
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new ProfileRefusedError(`the profile "${row.name}" cannot be stored: ${why}`)
  }
}

export interface ImportedProfileRow {
  id: string
  name: string
  description: string
  bootargs: string
  sourceFile: string
  /** Of the blob as it was imported or last saved. */
  sha256: string
  dtb: Uint8Array
  /** JSON: node path → the source labels of that node (a blob cannot hold them). */
  labels: string
  createdAt: string
  updatedAt: string
}

export type NewProfile = Omit<ImportedProfileRow, 'createdAt' | 'updatedAt'>
export type ProfileChanges = Pick<
  ImportedProfileRow,
  'name' | 'description' | 'bootargs' | 'sha256' | 'dtb' | 'labels'
>

export interface ProfilesRepository {
  create(profile: NewProfile): ImportedProfileRow
  update(id: string, changes: ProfileChanges): ImportedProfileRow | undefined
  list(): ImportedProfileRow[]
  get(id: string): ImportedProfileRow | undefined
  findBySha256(sha256: string): ImportedProfileRow | undefined
  delete(id: string): boolean
}

const COLUMNS =
  'id, name, description, bootargs, source_file AS sourceFile, sha256, dtb, labels, created_at AS createdAt, updated_at AS updatedAt'

/** Device profiles imported from a user's blobs and sources, or cloned; built-in ones stay in resources/. */
export function createProfilesRepository(
  db: BetterSqlite3.Database,
  now: () => Date = () => new Date(),
): ProfilesRepository {
  const insert = db.prepare(
    'INSERT INTO profiles (id, name, description, bootargs, source_file, sha256, dtb, labels, created_at, updated_at) VALUES (@id, @name, @description, @bootargs, @sourceFile, @sha256, @dtb, @labels, @createdAt, @updatedAt)',
  )
  const change = db.prepare(
    'UPDATE profiles SET name = @name, description = @description, bootargs = @bootargs, sha256 = @sha256, dtb = @dtb, labels = @labels, updated_at = @updatedAt WHERE id = @id',
  )
  const all = db.prepare<[], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles ORDER BY name, id`,
  )
  const byId = db.prepare<[string], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles WHERE id = ?`,
  )
  const bySha = db.prepare<[string], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles WHERE sha256 = ? ORDER BY created_at LIMIT 1`,
  )
  const remove = db.prepare<[string]>('DELETE FROM profiles WHERE id = ?')
  return {
    create: (profile) => {
      checkReadable(profile)
      const createdAt = now().toISOString()
      const row = { ...profile, createdAt, updatedAt: createdAt }
      insert.run(row)
      return row
    },
    update: (id, changes) => {
      checkReadable(changes)
      const updated = change.run({ ...changes, id, updatedAt: now().toISOString() }).changes > 0
      return updated ? byId.get(id) : undefined
    },
    list: () => all.all(),
    get: (id) => byId.get(id),
    findBySha256: (sha256) => bySha.get(sha256),
    delete: (id) => remove.run(id).changes > 0,
  }
}
