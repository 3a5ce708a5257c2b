import type { KernelProfile } from '../catalog/kernel-profile-schema'
import { versionAtLeast } from '../linux/version'
import { boolParam, consoleLoglevel, intParam, type Cmdline } from './cmdline'

/**
 * What the command line's early_param()s and __setup()s (and the kernel's version, where wording
 * changed between releases) decide for the whole boot.
 */
export interface BootParams {
  readonly consoleLoglevel: number
  readonly ignoreLoglevel: boolean
  readonly initcallDebug: boolean
  /** `dyndbg="+p"` (or `<module>.dyndbg=`): pr_debug/dev_dbg lines reach the buffer. */
  readonly dynamicDebug: boolean
  /** fw_devlink= is neither off nor permissive: links to suppliers keep consumers from probing. */
  readonly linksBlock: boolean
  readonly fwDevlinkStrict: boolean
  readonly deferredReasonInPending: boolean
  readonly deferredPendingLevel: 'info' | 'warning'
  /** call_driver_probe() reports through dev_err()/dev_dbg() rather than pr_warn()/pr_debug(). */
  readonly probeErrorsAsDevPrintk: boolean
  /** deferred_probe_timeout=, in seconds. */
  readonly deferredProbeTimeout: number
}

export function bootParams(cmdline: Cmdline, profile: KernelProfile): BootParams {
  const mode = cmdline.params.get('fw_devlink')
  return {
    consoleLoglevel: consoleLoglevel(cmdline, {
      normal: profile.console.loglevel,
      quiet: profile.console.quietLoglevel,
    }),
    ignoreLoglevel: boolParam(cmdline, 'ignore_loglevel'),
    initcallDebug: boolParam(cmdline, 'initcall_debug'),
    dynamicDebug: cmdline.entries.some(
      ([name, value]) =>
        (name === 'dyndbg' || name.endsWith('.dyndbg')) &&
        typeof value === 'string' &&
        value.includes('+p'),
    ),
    linksBlock: mode !== 'off' && mode !== 'permissive',
    fwDevlinkStrict: boolParam(cmdline, 'fw_devlink.strict'),
    // [V3] "deferred probe pending: <reason>" arrived in 6.8 (Uwe Kleine-König), at dev_warn in 6.11 (Prado).
    deferredReasonInPending: versionAtLeast(profile.version, 6, 8),
    deferredPendingLevel: versionAtLeast(profile.version, 6, 11) ? 'warning' : 'info',
    // drivers/base/dd.c call_driver_probe(): pr_warn("%s: probe of %s failed...") in 6.1 (:575),
    // dev_err("probe with driver %s failed...") in 6.12 (:655) [first release unverified].
    probeErrorsAsDevPrintk: versionAtLeast(profile.version, 6, 12),
    deferredProbeTimeout: intParam(
      cmdline,
      'deferred_probe_timeout',
      profile.config.CONFIG_MODULES === 'y' ? 10 : 0,
    ),
  }
}
