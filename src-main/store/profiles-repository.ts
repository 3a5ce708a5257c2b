import type BetterSqlite3 from 'better-sqlite3'

export interface ImportedProfileRow {
  id: string
  name: string
  description: string
  bootargs: string
  sourceFile: string
  sha256: string
  dtb: Uint8Array
  createdAt: string
}

export interface ProfilesRepository {
  create(profile: Omit<ImportedProfileRow, 'createdAt'>): ImportedProfileRow
  list(): ImportedProfileRow[]
  get(id: string): ImportedProfileRow | undefined
  findBySha256(sha256: string): ImportedProfileRow | undefined
  delete(id: string): boolean
}

const COLUMNS =
  'id, name, description, bootargs, source_file AS sourceFile, sha256, dtb, created_at AS createdAt'

/** Device profiles imported from a user's blobs; built-in ones stay in resources/. */
export function createProfilesRepository(
  db: BetterSqlite3.Database,
  now: () => Date = () => new Date(),
): ProfilesRepository {
  const insert = db.prepare<[string, string, string, string, string, string, Uint8Array, string]>(
    'INSERT INTO profiles (id, name, description, bootargs, source_file, sha256, dtb, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  )
  const all = db.prepare<[], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles ORDER BY name, id`,
  )
  const byId = db.prepare<[string], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles WHERE id = ?`,
  )
  const bySha = db.prepare<[string], ImportedProfileRow>(
    `SELECT ${COLUMNS} FROM profiles WHERE sha256 = ?`,
  )
  const remove = db.prepare<[string]>('DELETE FROM profiles WHERE id = ?')
  return {
    create: (profile) => {
      const createdAt = now().toISOString()
      insert.run(
        profile.id,
        profile.name,
        profile.description,
        profile.bootargs,
        profile.sourceFile,
        profile.sha256,
        profile.dtb,
        createdAt,
      )
      return { ...profile, createdAt }
    },
    list: () => all.all(),
    get: (id) => byId.get(id),
    findBySha256: (sha256) => bySha.get(sha256),
    delete: (id) => remove.run(id).changes > 0,
  }
}
