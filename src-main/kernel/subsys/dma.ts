import { phandleArgsClass } from './resource-types'

/**
 * DMA channels: of_dma_request_slave_channel() defers while the controller is missing, but drivers
 * ask for channels when they transfer, or fall back to PIO (spi, i2c, serial): the probe does not
 * wait for them. fw_devlink treats `dmas` as optional too (drivers/of/property.c).
 */
export const dmaResource = phandleArgsClass(
  'dma',
  'dmas',
  '#dma-cells',
  'optional',
  'drivers/dma/of-dma.c of_dma_request_slave_channel',
)
