import { describe, expect, it } from 'vitest'
import { NetDevices } from '../../src-main/kernel/net-devices'

describe('network devices (net/core/dev.c)', () => {
  it('gives a %d name the lowest unit not in use, and a module exit takes its own away', () => {
    const net = new NetDevices()
    net.register('lo')
    expect([net.register('dummy%d', 'dummy'), net.register('dummy%d', 'dummy')]).toEqual([
      'dummy0',
      'dummy1',
    ])
    net.register('veth%d', 'veth')
    net.unregisterOwnedBy('dummy')
    expect(net.names()).toEqual(['lo', 'veth0'])
    expect(net.register('dummy%d', 'dummy')).toBe('dummy0')
  })
})
