import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Kernel } from '../../src-main/kernel/kernel'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { deviceReport } from '../../src-main/userspace/device-report'
import { ROOT } from './helpers'

/**
 * The reason 6.12 records for a deferred device (drivers/base/core.c:5140
 * device_set_deferred_probe_reason(), `<driver or bus>: <message>`), as devices_deferred shows it
 * (drivers/base/dd.c:252) and the deferred-probe timeout prints it (dd.c:317): fw_devlink's
 * while a link blocks the probe, then the message the driver's code passes to dev_err_probe()
 * after the lookup that defers (probe-facts.json), or none.
 */
const resources = join(ROOT, 'resources')
const boots = new Map<string, ReturnType<typeof runBoot>>()
function boot(profile: string, config: Record<string, 'n'> = {}) {
  const key = `${profile} ${JSON.stringify(config)}`
  let run = boots.get(key)
  if (!run)
    boots.set(key, (run = runBoot({ profile, kernel: 'debian-6.12-arm64', resources, config })))
  return run
}

const deferredLine = (kernel: Kernel, device: string) =>
  kernel.core
    .devicesDeferred()
    .split('\n')
    .find((line) => line.startsWith(`${device}\t`))

const pendingLine = (kernel: Kernel, device: string) =>
  kernel.log.records.find((record) =>
    record.text.startsWith(`platform ${device}: deferred probe pending`),
  )?.text

/** The reasons a device was deferred with, in order, each once. */
function reasonsOf(kernel: Kernel, device: string): { ns: number; reason?: string }[] {
  const seen: { ns: number; reason?: string }[] = []
  for (const event of kernel.deviceEvents) {
    if (event.device !== device || event.state !== 'deferred') continue
    if (seen.at(-1)?.reason !== event.detail) seen.push({ ns: event.ns, reason: event.detail })
  }
  return seen
}

describe('the deferral reason 6.12 records', () => {
  it('is the message mmc_regulator_get_supply() gives dev_err_probe() for a missing vmmc regulator', () => {
    const kernel = boot('hikey960').kernel
    // drivers/mmc/core/regulator.c:258: the PMIC's LDO16 never registers (no hi6421v530 driver).
    expect(deferredLine(kernel, 'ff37f000.dwmmc1')).toBe(
      'ff37f000.dwmmc1\tdwmmc_k3: vmmc regulator not available',
    )
    expect(pendingLine(kernel, 'ff37f000.dwmmc1')).toBe(
      'platform ff37f000.dwmmc1: deferred probe pending: dwmmc_k3: vmmc regulator not available',
    )
  })

  it("is dwc3_probe()'s `failed to initialize core`, recorded over the PHY lookup's own", () => {
    const kernel = boot('hikey960').kernel
    // drivers/usb/dwc3/core.c:1569 `failed to lookup phy usb3-phy`, then :2283 over it.
    expect(deferredLine(kernel, 'ff100000.usb')).toBe(
      'ff100000.usb\tdwc3: failed to initialize core',
    )
    expect(pendingLine(kernel, 'ff100000.usb')).toBe(
      'platform ff100000.usb: deferred probe pending: dwc3: failed to initialize core',
    )
  })

  it("is fw_devlink's while a link holds the probe back, the driver's once the timeout relaxed it", () => {
    const run = boot('hikey960')
    const timeoutNs = run.kernel.trace.events.find((event) => event.kind === 'timeout')?.startNs
    expect(timeoutNs).toBeGreaterThan(0)
    // device_links_check_suppliers() (drivers/base/core.c:1161), before the driver is set: the bus.
    const reasons = reasonsOf(run.kernel, 'ff37f000.dwmmc1')
    expect(reasons.map((step) => step.reason)).toEqual([
      'platform: supplier fff34000.pmic not ready',
      'dwmmc_k3: vmmc regulator not available',
    ])
    expect(reasons[0]?.ns).toBeLessThan(timeoutNs as number)
    expect(reasons[1]?.ns).toBeGreaterThanOrEqual(timeoutNs as number)
    // modlab devices says what it waits for, and what the kernel recorded.
    const mmc = deviceReport(run.shell.system).find((device) => device.name === 'ff37f000.dwmmc1')
    expect(mmc?.why).toBe(
      'waits for the regulator /pmic@fff34000/regulators/LDO16 gives (vmmc-supply); the kernel records "dwmmc_k3: vmmc regulator not available"',
    )
  })

  it('is `wait for supplier <node path>` while a supplier node has no device yet', () => {
    const kernel = boot('db845c').kernel
    // fwnode_links_check_suppliers() (drivers/base/core.c:1139, %pfwf): rpmh's clock controller
    // is created when rsc@179c0000's probe populates it.
    expect(reasonsOf(kernel, '100000.clock-controller')[0]?.reason).toBe(
      'platform: wait for supplier /soc@0/rsc@179c0000/clock-controller',
    )
  })

  it('is none where the probe returns -EPROBE_DEFER without dev_err_probe(), and a named lookup’s where it has one', () => {
    // Without the HiSilicon reset driver: dwc3's reset lookup (core.c:2205) records nothing;
    // dw_mmc's (dw_mmc.c:3316) fails dw_mci_parse_dt(), which dw_mci_probe() reports (:3381).
    const run = boot('hikey960', { CONFIG_COMMON_RESET_HI3660: 'n' })
    expect(deferredLine(run.kernel, 'ff100000.usb')).toBe('ff100000.usb\t')
    expect(pendingLine(run.kernel, 'ff100000.usb')).toBe(
      'platform ff100000.usb: deferred probe pending: (reason unknown)',
    )
    expect(deferredLine(run.kernel, 'ff37f000.dwmmc1')).toBe(
      'ff37f000.dwmmc1\tdwmmc_k3: platform data not available',
    )
    const usb = deviceReport(run.shell.system).find((device) => device.name === 'ff100000.usb')
    expect(usb?.why).toMatch(/; the kernel records no reason$/)
  })

  it('is the message with the node and index it names, and for a nested domain its caller’s', () => {
    // scpsys_add_one_domain()'s of_clk_get() (mtk-pm-domains.c:452-456), then for a domain
    // below another scpsys_add_subdomain()'s own (:557) over it.
    const reasons = reasonsOf(boot('mt8183-pumpkin').kernel, '10006000.syscon:power-controller')
    const scpsys = 'mtk-power-controller: /soc/syscon@10006000/power-controller/power-domain@'
    expect(reasons.map((step) => step.reason)).toEqual([
      `${scpsys}0: failed to get clk at index 0`,
      `${scpsys}0: failed to get clk at index 1`,
      `${scpsys}7: failed to get clk at index 1`,
      `${scpsys}7/power-domain@8: failed to get child domain id`,
    ])
  })

  it("follows the driver's lookup order, not the node's: dwc3 asks for bus_early before ref", () => {
    // hi3660.dtsi names "ref", "bus_early"; dwc3_get_clocks() (core.c:2005) takes bus_early first.
    const kernel = boot('hikey960', { CONFIG_COMMON_CLK_HI3660: 'n' }).kernel
    expect(deferredLine(kernel, 'ff100000.usb')).toBe('ff100000.usb\tdwc3: could not get bus clock')
  })
})
