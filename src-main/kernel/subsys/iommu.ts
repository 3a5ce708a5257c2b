import { phandleArgsClass } from './resource-types'

/**
 * of_iommu_configure() from of_dma_configure() in really_probe(): an IOMMU driver not registered
 * yet goes to driver_deferred_probe_check_state() (drivers/iommu/of_iommu.c:33); after the timeout
 * the device carries on without its IOMMU (drivers/of/device.c:164).
 */
export const iommuResource = {
  ...phandleArgsClass(
    'iommu',
    'iommus',
    '#iommu-cells',
    'check_state',
    'drivers/iommu/of_iommu.c:33',
  ),
  afterTimeout: 'carry_on' as const,
}
