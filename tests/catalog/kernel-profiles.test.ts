import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { KernelProfileError, loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()
const SOURCE = join(__dirname, '..', '..', 'resources', 'kernels', 'debian-6.1-arm64')

function copy(): string {
  const dir = join(tempDir(), 'kernel')
  cpSync(SOURCE, dir, { recursive: true })
  return dir
}

describe('loadKernelProfile', () => {
  it('loads the Debian 6.1 profile with its initcalls in link order and its drivers', () => {
    const profile = loadKernelProfile(SOURCE)
    expect(profile.release).toBe('6.1.0-56-arm64')
    expect(profile.initcalls.length).toBeGreaterThan(900)
    expect(profile.initcalls.find((i) => i.fn === 'pl011_init')).toMatchObject({
      level: 'arch',
      mechanism: 'driver',
    })
    expect(profile.initcalls.find((i) => i.fn === 'deferred_probe_initcall')).toMatchObject({
      level: 'late',
      mechanism: 'deferred_probe',
    })
    expect(profile.drivers.map((d) => d.name)).toContain('uart-pl011')
  })

  it('refuses a bool Kconfig symbol set to m, naming the driver', () => {
    const dir = copy()
    const kernel = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'))
    kernel.config.CONFIG_ARM_ARCH_TIMER = 'm'
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernel))
    expect(() => loadKernelProfile(dir)).toThrow(KernelProfileError)
    expect(() => loadKernelProfile(dir)).toThrow(
      /CONFIG_ARM_ARCH_TIMER is a bool symbol \(driver arch_timer\) and cannot be m/,
    )
  })

  it('takes a freeUnused list of built-in symbols, and refuses one the build does not build in', () => {
    const dir = copy()
    const kernel = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'))
    kernel.freeUnused = ['CONFIG_ARM_ARCH_TIMER']
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernel))
    expect(loadKernelProfile(dir).freeUnused).toEqual(['CONFIG_ARM_ARCH_TIMER'])
    kernel.freeUnused = ['CONFIG_ARM_ARCH_TIMER', 'CONFIG_NO_SUCH_DRIVER']
    writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernel))
    expect(() => loadKernelProfile(dir)).toThrow(
      /kernel\.json: freeUnused names CONFIG_NO_SUCH_DRIVER, which this build does not build in \(n\): only built-in code can be freed/,
    )
  })

  it('refuses a catalog of an older format by name, and one without its lists', () => {
    const dir = copy()
    rmSync(join(dir, 'catalog-lists.json.gz'))
    expect(() => loadKernelProfile(dir)).toThrow('its lists (catalog-lists.json.gz) are missing')
    writeFileSync(join(dir, 'catalog.json.gz'), gzipSync(JSON.stringify({ format: 3 })))
    expect(() => loadKernelProfile(dir)).toThrow(
      "catalog format 3 is not this modlab's format 6: generate it again",
    )
  })

  it('applies probe-facts.json to the scanned drivers, and refuses a fact about no driver', () => {
    const profile = loadKernelProfile(join(SOURCE, '..', 'debian-6.12-arm64'))
    const scpsys = profile.drivers.find((d) => d.name === 'mtk-power-controller')
    expect(scpsys?.probe).toMatchObject({ children: ['clock'] })
    const dwc3 = profile.drivers.find((d) => d.module === 'dwc3' && d.name === 'dwc3')
    expect(dwc3?.probe.deferReasons?.at(-1)).toMatchObject({
      property: 'phys',
      reason: 'failed to initialize core',
    })
    const dir = copy()
    const fact = { source: 'drivers/acme/acme.c:1', later: ['reset'] }
    writeFileSync(join(dir, 'probe-facts.json'), JSON.stringify({ 'acme/acme-phy': fact }))
    expect(() => loadKernelProfile(dir)).toThrow(
      /probe-facts\.json: no driver acme\/acme-phy in the catalog/,
    )
    // A reason without its source is refused, naming the field.
    const reasons = { source: 'x.c:1', deferReasons: [{ property: 'phys', reason: 'no phy' }] }
    writeFileSync(join(dir, 'probe-facts.json'), JSON.stringify({ 'dwc3/dwc3': reasons }))
    expect(() => loadKernelProfile(dir)).toThrow(
      /probe-facts\.json: dwc3\/dwc3\.deferReasons\.0\.source/,
    )
  })

  it('names the file and field of a malformed driver definition', () => {
    const dir = copy()
    const drivers = JSON.parse(readFileSync(join(dir, 'drivers.json'), 'utf8'))
    drivers[3].registration = { kind: 'initcall', level: 'whenever' }
    writeFileSync(join(dir, 'drivers.json'), JSON.stringify(drivers))
    expect(() => loadKernelProfile(dir)).toThrow(/drivers\.json: 3\.registration\.level: /)
  })
})
