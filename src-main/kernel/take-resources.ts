import { ERRNO } from '../linux/errno'
import { recordedDeferReason } from './defer-reasons'
import type { Device, ProbeOutcome } from './device'
import type { Kernel } from './kernel'
import { isAvailable, propertyCells, type OfNode } from './of-tree'
import { owningNode, type ResourceProviders, type ResourceRef, type ResourceUse } from './resources'
import { hasProperty, type ResourceClass } from './subsys/resource-types'

/**
 * The probe's resource lookups, before the driver's own effects: 0 when everything it needs is
 * there, else what the first missing one makes of the probe.
 */
export function takeResources(kernel: Kernel, device: Device): ProbeOutcome | undefined {
  if (!driverDataReady(kernel, device)) return { ret: -ERRNO.EPROBE_DEFER }
  const providers = kernel.providers
  const uses: ResourceUse[] = []
  device.resources = uses
  const refs = probeRefs(providers, device)
  let gaveUp: ResourceClass | undefined
  for (const [at, ref] of refs.entries()) {
    const provider =
      ref.class.kind === 'pinctrl' ? owningNode(ref.target.parent ?? ref.target) : ref.target
    const use: ResourceUse = {
      kind: ref.class.kind,
      property: ref.property,
      provider: provider.path,
      state: 'taken',
    }
    uses.push(use)
    // of_iommu_configure_dev() stops at the first entry that fails (of_iommu.c:74): one warning.
    if (ref.class === gaveUp) {
      use.state = 'ignored'
      continue
    }
    if (providers.satisfied(ref)) {
      classTaken(kernel, device, refs, at)
      continue
    }
    const missing = isParentClock(device.of, ref) ? 0 : whenMissing(kernel, device, ref)
    if (missing === 0) {
      use.state = 'ignored'
      if (ref.class.whenMissing === 'check_state') gaveUp = ref.class
      continue
    }
    use.state = 'waiting'
    if (missing !== -ERRNO.EPROBE_DEFER) return { ret: missing }
    const reason = recordedDeferReason(
      device,
      refs,
      at,
      (other) =>
        other.class.whenMissing === 'defer' &&
        !isParentClock(device.of, other) &&
        !providers.satisfied(other),
    )
    return reason ? { ret: missing, reason } : { ret: missing }
  }
  for (const supply of device.driver?.def.probe.supplies ?? []) {
    if (hasProperty(device.of, `${supply}-supply`)) continue
    // regulator_get() on a supply the node does not name: the dummy (drivers/regulator/core.c:2219).
    kernel.devPrintk('warning', device, `supply ${supply} not found, using dummy regulator`)
    uses.push({
      kind: 'regulator',
      property: `${supply}-supply`,
      provider: 'dummy',
      state: 'dummy',
    })
  }
  return undefined
}

/** The device whose driver data the probe takes (its parent's, a phandle's) is bound, or none is. */
function driverDataReady(kernel: Kernel, device: Device): boolean {
  const of = device.driver?.def.probe.driverDataOf
  if (!of) return true
  const node =
    of === 'parent'
      ? device.of.parent
      : kernel.of.byPhandle.get(propertyCells(device.of, of)[0] ?? -1)
  return !node || kernel.core.deviceOf(node)?.state === 'bound'
}

/**
 * The references the probe takes: its node's, but those the driver leaves for later, then those
 * of its sub-nodes of the kinds it takes there (scpsys_add_one_domain()'s of_clk_get()).
 */
function probeRefs(providers: ResourceProviders, device: Device): ResourceRef[] {
  const probe = device.driver?.def.probe
  const own = providers.refsOf(device.of)
  if (!probe?.later && !probe?.children) return own
  const refs = own.filter((ref) => !probe.later?.includes(ref.class.kind))
  const visit = (node: OfNode) => {
    for (const child of node.children) {
      if (child.compatible.length > 0 || !isAvailable(child)) continue
      for (const ref of providers.refsOf(child))
        if (probe.children?.includes(ref.class.kind)) refs.push(ref)
      visit(child)
    }
  }
  if (probe.children) visit(device.of)
  return refs
}

/** The last reference of its class was taken, and every one before it: the subsystem's follow-up. */
function classTaken(
  kernel: Kernel,
  device: Device,
  refs: readonly ResourceRef[],
  at: number,
): void {
  const ref = refs[at] as ResourceRef
  if (!ref.class.configured || refs[at + 1]?.class === ref.class) return
  const uses = device.resources ?? []
  if (uses.some((use) => use.kind === ref.class.kind && use.state !== 'taken')) return
  ref.class.configured(kernel, device)
}

/**
 * A clock provider's own `clocks` are its clocks' parents: the common clock framework registers
 * them as orphans and reparents them when the parent provider comes (drivers/clk/clk.c:530
 * clk_core_fill_parent_index), so they never hold its probe back.
 */
function isParentClock(node: OfNode, ref: ResourceRef): boolean {
  return ref.property === 'clocks' && hasProperty(node, '#clock-cells')
}

/** The errno a missing provider gives the probe, or 0 to carry on without it. */
function whenMissing(kernel: Kernel, device: Device, ref: ResourceRef): number {
  const modules = kernel.inputs.profile.config.CONFIG_MODULES === 'y'
  switch (ref.class.whenMissing) {
    case 'optional':
      return 0
    case 'defer':
      return -ERRNO.EPROBE_DEFER
    case 'defer_with_modules': {
      let useDefault = false
      for (let at: OfNode | undefined = ref.target; at; at = at.parent)
        useDefault ||= hasProperty(at, 'pinctrl-use-default')
      return modules && !useDefault ? -ERRNO.EPROBE_DEFER : -ERRNO.ENODEV
    }
    case 'check_state': {
      if (ref.class.unavailableMeansNone && !isAvailable(ref.target)) {
        kernel.devDbg(device, `Adding to IOMMU failed: ${-ERRNO.ENODEV}`)
        return 0
      }
      const ret = driverDeferredProbeCheckState(kernel, device, modules)
      if (ret === -ERRNO.EPROBE_DEFER || ref.class.afterTimeout === 'fail') return ret
      kernel.devDbg(device, `Adding to IOMMU failed: ${ret}`)
      return 0
    }
  }
}

/** driver_deferred_probe_check_state() (drivers/base/dd.c:288). */
function driverDeferredProbeCheckState(kernel: Kernel, device: Device, modules: boolean): number {
  const core = kernel.core
  if (!modules && core.initcallsDone) {
    kernel.devPrintk('warning', device, 'ignoring dependency for device, assuming no driver')
    return -ERRNO.ENODEV
  }
  if ((core.timeoutExpired || kernel.deferredProbeTimeout === 0) && core.initcallsDone) {
    kernel.devPrintk('warning', device, 'deferred probe timeout, ignoring dependency')
    return -ERRNO.ETIMEDOUT
  }
  return -ERRNO.EPROBE_DEFER
}
