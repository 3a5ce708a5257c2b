import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KernelRegistry } from '../../src-main/catalog/kernel-registry'
import { ROOT } from '../kernel/helpers'

describe('a kernel named by its series', () => {
  const registry = new KernelRegistry(join(ROOT, 'resources', 'kernels'))

  it('`6.12` and `6.1` name the one built-in kernel of each version', () => {
    expect(registry.find('6.12')?.id).toBe('debian-6.12-arm64')
    expect(registry.find('6.1')?.id).toBe('debian-6.1-arm64')
  })

  it('a series no built-in kernel has, or not a series, names nothing', () => {
    expect(registry.find('6.13')).toBeUndefined()
    expect(registry.find('6')).toBeUndefined()
    expect(registry.find('6.12.117')).toBeUndefined()
  })
})
