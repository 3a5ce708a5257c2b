import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { SeriesDefinition } from './series-schema'

/** A series file that cannot be used, or a series asked for that does not exist, named. */
export class SeriesError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SeriesError'
  }
}

/** One `<name>.json`, validated: a problem names the file and the field. */
export function readSeriesFile(path: string): SeriesDefinition {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new SeriesError(`${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = SeriesDefinition.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SeriesError(`${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  const expected = basename(path, '.json')
  if (parsed.data.name !== expected)
    throw new SeriesError(`${path}: name: "${parsed.data.name}" but the file is ${expected}.json`)
  return parsed.data
}

/** Every series of a folder (resources/series), by name. */
export function loadSeries(dir: string): SeriesDefinition[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readSeriesFile(join(dir, file)))
}

/** The series of these names, in the order given; an unknown name is refused with the known ones. */
export function findSeries(dir: string, names: readonly string[]): SeriesDefinition[] {
  if (names.length === 0) return []
  const known = loadSeries(dir)
  return names.map((name) => {
    const series = known.find((candidate) => candidate.name === name)
    if (!series)
      throw new SeriesError(
        `unknown series "${name}"; known: ${known.map((candidate) => candidate.name).join(', ')}`,
      )
    return series
  })
}
