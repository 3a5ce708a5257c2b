import type { Device } from './device'
import { adapterOfNode, i2cRegisterAdapter } from './i2c'
import type { Kernel } from './kernel'
import { hasProperty, propertyCells, type OfNode } from './of-tree'

/**
 * The node of each channel an I2C mux adds (i2c_mux_add_adapter(), drivers/i2c/i2c-mux.c:339):
 * an `i2c-arb` or `i2c-gate` child is the one adapter of an arbitrator or a gate; otherwise the
 * children with a `reg` (the channel id) of the `i2c-mux` child, or of the mux's own node when
 * that child is absent or has a `reg` (an old-style entry), in channel order.
 */
function channelNodes(mux: OfNode): OfNode[] {
  const named = (name: string) => mux.children.find((child) => child.node.name === name)
  const single = named('i2c-arb') ?? named('i2c-gate')
  if (single) return [single]
  const muxNode = named('i2c-mux')
  const parent = muxNode && !hasProperty(muxNode, 'reg') ? muxNode : mux
  return parent.children
    .filter((child) => propertyCells(child, 'reg').length > 0)
    .sort((a, b) => (propertyCells(a, 'reg')[0] ?? 0) - (propertyCells(b, 'reg')[0] ?? 0))
}

/**
 * A bound I2C mux's probe: i2c_mux_add_adapter() per channel, each an adapter below the one its
 * `i2c-parent` names, numbered by its node's alias or dynamically, whose node's children become
 * clients; dev_info(&parent->dev, "Added multiplexed i2c bus %d") (i2c-mux.c:407). Without the
 * parent adapter i2c_mux_alloc()'s caller defers, which the driver's data does not describe: no
 * channel is added. The driver's remove, i2c_mux_del_adapters() (i2c-mux.c:420), deletes them
 * last first.
 */
export function i2cMuxAddAdapters(kernel: Kernel, mux: Device): () => void {
  const phandle = propertyCells(mux.of, 'i2c-parent')[0]
  const parentNode = phandle === undefined ? undefined : kernel.of.byPhandle.get(phandle)
  const parentNr = parentNode && adapterOfNode(kernel, parentNode)
  const removals: (() => void)[] = []
  if (parentNr !== undefined) {
    for (const node of channelNodes(mux.of)) {
      const { nr, remove } = i2cRegisterAdapter(kernel, mux, node)
      kernel.printk('info', `i2c i2c-${parentNr}: Added multiplexed i2c bus ${nr}`)
      removals.push(remove)
    }
  }
  return () => {
    for (const remove of removals.reverse()) remove()
  }
}
