import { phandleArgsClass } from './resource-types'

/**
 * Generic power domains, attached by platform_probe() before the driver's probe: a provider not
 * registered yet goes to driver_deferred_probe_check_state() (drivers/pmdomain/core.c:2980), so
 * after the deferred-probe timeout the probe fails with -ETIMEDOUT.
 */
export const powerDomainResource = {
  ...phandleArgsClass(
    'power-domain',
    'power-domains',
    '#power-domain-cells',
    'check_state',
    'drivers/pmdomain/core.c:2980',
  ),
  afterTimeout: 'fail' as const,
}
