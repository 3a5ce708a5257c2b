import type { AmbaId, DriverDefinition } from '../catalog/driver-schema'
import { ERRNO } from '../linux/errno'
import type { Device } from './device'
import { phandleArgs } from './fw-devlink'
import type { Kernel } from './kernel'
import { propertyCells, type OfNode } from './of-tree'
import { stringList, findProperty } from '../hardware/devicetree'

/**
 * The AMBA bus (drivers/amba/bus.c): a PrimeCell's driver is chosen by the peripheral ID its
 * registers hold, never by compatible. The ID comes from the node's `arm,primecell-periphid`
 * (of_amba_device_create, drivers/of/platform.c:248), else from the registers, which can be read
 * only once the device is powered, clocked and out of reset (amba_read_periphid, bus.c:106).
 */

/** Why an AMBA device's peripheral ID is not known yet, or cannot be. */
export interface PeriphidProblem {
  /** -EPROBE_DEFER, -ENOENT...: what amba_read_periphid() returned; 0 when modlab lacks the value. */
  errno: number
  why: string
}

/** of_amba_device_create(): the ID the tree states, if it does. */
export function periphidProperty(of: OfNode): number | undefined {
  const value = propertyCells(of, 'arm,primecell-periphid')[0]
  return value === undefined ? undefined : value >>> 0
}

/** The provider node the `index`-th entry of a phandle-with-args property names. */
function nthTarget(kernel: Kernel, of: OfNode, property: string, cells: string, index: number) {
  return phandleArgs(kernel.of, propertyCells(of, property), cells)[index]
}

/**
 * amba_read_periphid() (drivers/amba/bus.c:106): attach the power domain, enable `apb_pclk`,
 * deassert the resets, read PeriphID0-3. 0 once `device.periphid` is set, else what failed.
 */
export function ambaReadPeriphid(kernel: Kernel, device: Device): PeriphidProblem | undefined {
  const of = device.of
  const providers = kernel.providers
  // dev_pm_domain_attach(): genpd defers while its provider is missing (drivers/pmdomain/core.c:2980).
  for (const target of phandleArgs(
    kernel.of,
    propertyCells(of, 'power-domains'),
    '#power-domain-cells',
  ))
    if (!providers.has(target, 'power-domain')) {
      kernel.devDbg(device, `can't get PM domain: ${-ERRNO.EPROBE_DEFER}`)
      return {
        errno: -ERRNO.EPROBE_DEFER,
        why: `its power domain ${target.path} is not registered`,
      }
    }
  // amba_get_enable_pclk(): clk_get(dev, "apb_pclk") (bus.c:67).
  const index = stringList(findProperty(of.node, 'clock-names')).indexOf('apb_pclk')
  const clock = index < 0 ? undefined : nthTarget(kernel, of, 'clocks', '#clock-cells', index)
  if (!clock) {
    kernel.devDbg(device, `can't get pclk: ${-ERRNO.ENOENT}`)
    return { errno: -ERRNO.ENOENT, why: 'its node names no apb_pclk clock' }
  }
  if (!providers.has(clock, 'clock')) {
    kernel.devDbg(device, `can't get pclk: ${-ERRNO.EPROBE_DEFER}`)
    return {
      errno: -ERRNO.EPROBE_DEFER,
      why: `its apb_pclk provider ${clock.path} is not registered`,
    }
  }
  // of_reset_control_array_get_optional_shared() (bus.c:128).
  for (const target of phandleArgs(kernel.of, propertyCells(of, 'resets'), '#reset-cells'))
    if (!providers.has(target, 'reset'))
      return {
        errno: -ERRNO.EPROBE_DEFER,
        why: `its reset controller ${target.path} is not registered`,
      }
  const periphid = kernel.inputs.board.primecell?.[of.path]
  if (periphid === undefined) {
    const parts = of.compatible.filter((c) => c !== 'arm,primecell').map((c) => `"${c}"`)
    return {
      errno: 0,
      why: `no arm,primecell-periphid in its node, and resources/hardware/primecell-ids.json has no ID for ${parts.join(', ')}`,
    }
  }
  device.periphid = periphid
  return undefined
}

/** amba_lookup() (drivers/amba/bus.c:51): the first entry with `(periphid & mask) == id`. */
export function ambaLookup(table: readonly AmbaId[], periphid: number): AmbaId | undefined {
  return table.find((entry) => (periphid & Number(entry.mask)) >>> 0 === Number(entry.id))
}

/**
 * amba_match() (drivers/amba/bus.c:180): reads the ID first if it is not known (a failure is
 * -EPROBE_DEFER: the device waits on the deferred list), then looks the driver's table up.
 * 1 for a match, 0 for none.
 */
export function ambaMatch(kernel: Kernel, device: Device, driver: DriverDefinition): number {
  if (device.periphid === undefined) {
    const problem = ambaReadPeriphid(kernel, device)
    device.periphidProblem = problem
    if (problem) return problem.errno === 0 ? 0 : -ERRNO.EPROBE_DEFER
  }
  return ambaLookup(driver.amba ?? [], device.periphid as number) ? 1 : 0
}

/** amba_uevent() (drivers/amba/bus.c:213): `MODALIAS=amba:d%08X`; none while the ID is unread. */
export function ambaModalias(device: Device): string | undefined {
  return device.periphid === undefined
    ? undefined
    : `amba:d${device.periphid.toString(16).toUpperCase().padStart(8, '0')}`
}

/** The patterns modpost writes for an amba_id entry (scripts/mod/file2alias.c:1156 do_amba_entry). */
export function ambaTableAlias(entry: AmbaId): string {
  const id = Number(entry.id)
  const mask = Number(entry.mask)
  let alias = 'amba:d'
  for (let digit = 7; digit >= 0; digit--) {
    const nibble = (id >>> (4 * digit)) & 0xf
    const m = (mask >>> (4 * digit)) & 0xf
    if (m === 0) alias += '?'
    else if (m === 0xf) alias += nibble.toString(16).toUpperCase()
    else {
      // append_nibble_mask(): every digit the masked nibble allows (file2alias.c:1114).
      alias += '['
      for (let i = 0; i < 16; i++) if ((i & m) === nibble) alias += i.toString(16).toUpperCase()
      alias += ']'
    }
  }
  return alias
}
