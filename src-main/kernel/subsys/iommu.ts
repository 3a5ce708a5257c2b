import { iommuNodes, iommuProbeDevice, iommuStreams } from './iommu-groups'
import { phandleArgsClass, type ResourceClass } from './resource-types'

/**
 * of_iommu_configure() from of_dma_configure() in really_probe(): an IOMMU node that is not
 * available means no IOMMU (drivers/iommu/of_iommu.c:28); an IOMMU driver not registered yet goes
 * to driver_deferred_probe_check_state() (of_iommu.c:33); after the timeout the device carries on
 * without its IOMMU (drivers/of/device.c:164). With all of them there, iommu_probe_device()
 * (of_iommu.c:161) puts the device in a group.
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
  unavailableMeansNone: true,
  configured: (kernel, device) =>
    iommuProbeDevice(
      kernel,
      device,
      iommuStreams(kernel.of, device.of, 'iommus', '#iommu-cells'),
      iommuNodes(kernel.of, device.of, 'iommus', '#iommu-cells'),
    ),
} satisfies ResourceClass
