import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DeviceTree } from './devicetree'
import { readFdt } from './fdt'
import { ProfileFile } from './profile-schema'

export interface BuiltinProfile {
  file: ProfileFile
  tree: DeviceTree
}

export class ProfileLoadError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`)
    this.name = 'ProfileLoadError'
  }
}

/**
 * Reads every `<id>/profile.json` and its blob under `dir`, checking each blob against its recorded
 * sha256. The default board comes first, then the others by id.
 */
export function loadBuiltinProfiles(dir: string): BuiltinProfile[] {
  const ids = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const profiles = ids.map((id) => loadProfile(join(dir, id), id))
  return profiles.sort((a, b) => Number(b.file.default ?? false) - Number(a.file.default ?? false))
}

function loadProfile(dir: string, id: string): BuiltinProfile {
  const jsonPath = join(dir, 'profile.json')
  let json: unknown
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8'))
  } catch (error) {
    throw new ProfileLoadError(jsonPath, error instanceof Error ? error.message : String(error))
  }
  const parsed = ProfileFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ProfileLoadError(jsonPath, `${issue?.path.join('.')}: ${issue?.message}`)
  }
  const file = parsed.data
  if (file.id !== id)
    throw new ProfileLoadError(jsonPath, `id "${file.id}" does not match its folder "${id}"`)

  const blobPath = join(dir, file.devicetree)
  const blob = readFileSync(blobPath)
  const sha256 = createHash('sha256').update(blob).digest('hex')
  if (sha256 !== file.source.sha256) {
    throw new ProfileLoadError(
      blobPath,
      `sha256 is ${sha256}, profile.json records ${file.source.sha256}`,
    )
  }
  try {
    return { file, tree: readFdt(blob) }
  } catch (error) {
    throw new ProfileLoadError(blobPath, error instanceof Error ? error.message : String(error))
  }
}
