import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { DriverDefinition } from './driver-schema'
import { BootData, KernelHeader, KernelProfile } from './kernel-profile-schema'

export class KernelProfileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`)
    this.name = 'KernelProfileError'
  }
}

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new KernelProfileError(path, error instanceof Error ? error.message : String(error))
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new KernelProfileError(path, `${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  return parsed.data
}

/** `<dir>/kernel.json` + `boot.json` + `drivers.json`, validated, with Kconfig rules checked. */
export function loadKernelProfile(dir: string): KernelProfile {
  const header = readJson(join(dir, 'kernel.json'), KernelHeader)
  const boot = readJson(join(dir, 'boot.json'), BootData)
  const drivers = readJson(join(dir, 'drivers.json'), z.array(DriverDefinition))
  for (const driver of drivers) {
    if (!driver.tristate && header.config[driver.kconfig] === 'm') {
      throw new KernelProfileError(
        join(dir, 'kernel.json'),
        `${driver.kconfig} is a bool symbol (driver ${driver.name}) and cannot be m`,
      )
    }
  }
  return KernelProfile.parse({ ...header, ...boot, drivers })
}

export function loadKernelProfiles(root: string): KernelProfile[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((id) => loadKernelProfile(join(root, id)))
}
