import { describe, expect, it } from 'vitest'
import type { BootResult, SupplierGraph } from '../../src-main/api/contract'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()

/** db845c on 6.12, through the API as the Lab asks: the devices of the whole boot, paged. */
async function db845c() {
  const context = createAppContext({ host: 'cli', dataDir: tempDir() })
  const session = context.store.sessions.create('timeline and graph')
  const booted = await context.dispatch('lab:boot', {
    sessionId: session.id,
    profile: 'db845c',
    kernel: 'debian-6.12-arm64',
    cmdline: '',
    seed: 0,
  })
  if (!booted.ok) throw new Error(booted.error.message)
  const { bootId } = booted.value as BootResult
  const graph = async (request: Record<string, unknown> = {}) => {
    const reply = await context.dispatch('lab:graph', { bootId, ...request })
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.value as SupplierGraph
  }
  return { context, bootId, graph }
}

const edge = (graph: SupplierGraph, from: string, to: string) =>
  graph.edges.find((e) => e.from === from && e.to === to)

describe("db845c's supplier graph", () => {
  it('links suppliers to consumers, with the property and state of each tie', async () => {
    const { context, graph } = await db845c()
    const whole = await graph()
    expect(whole.total).toBeGreaterThanOrEqual(149)
    // The UFS controller took its PHY (phys); the PHY takes the controller's reset only at
    // phy_init (phy-qcom-qmp-ufs.c:1645), so the cycle holds neither back.
    const phy = edge(whole, '1d87000.phy', '1d84000.ufshc')
    expect(phy?.via).toContainEqual(expect.objectContaining({ kind: 'resource', state: 'taken' }))
    expect(phy?.blocking).toBe(false)
    const ufs = whole.nodes.find((node) => node.id === '1d84000.ufshc')
    expect(ufs).toMatchObject({ state: 'bound' })
    // A device with no links at all is left out of the default view.
    expect(whole.nodes.some((node) => node.id === '10a2000.dma')).toBe(false)
    expect((await graph({ isolated: true })).nodes.some((node) => node.id === '10a2000.dma')).toBe(
      true,
    )
    context.close()
  })

  it('marks the UFS controller and its PHY as one cycle', async () => {
    const { context, graph } = await db845c()
    const whole = await graph()
    const ufs = whole.nodes.find((node) => node.id === '1d84000.ufshc')
    const phy = whole.nodes.find((node) => node.id === '1d87000.phy')
    expect(ufs?.cycle).toBeDefined()
    expect(phy?.cycle).toBe(ufs?.cycle)
    expect(edge(whole, '1d84000.ufshc', '1d87000.phy')?.inCycle).toBe(true)
    expect(whole.cycles).toBeGreaterThanOrEqual(1)
    // A bound clock controller's consumers are not in a cycle with it.
    const notInCycle = whole.edges.filter((e) => !e.inCycle)
    expect(notInCycle.length).toBeGreaterThan(whole.edges.length / 2)
    context.close()
  })

  it("filters to one device's suppliers and consumers, transitively", async () => {
    const { context, graph } = await db845c()
    const whole = await graph()
    const focused = await graph({ focus: '1d84000.ufshc' })
    expect(focused.focus).toBe('1d84000.ufshc')
    const ids = new Set(focused.nodes.map((node) => node.id))
    expect(ids.has('1d84000.ufshc')).toBe(true)
    expect(ids.has('1d87000.phy')).toBe(true)
    // Suppliers of its suppliers are there; a device tied to nothing of it is not.
    for (const e of whole.edges.filter((e) => e.to === '1d87000.phy'))
      expect(ids.has(e.from)).toBe(true)
    expect(focused.nodes.length).toBeLessThan(whole.nodes.length)
    expect(focused.edges.every((e) => ids.has(e.from) && ids.has(e.to))).toBe(true)
    context.close()
  })

  it('narrows to the devices that wait and what they wait on', async () => {
    const { context, graph } = await db845c()
    const whole = await graph()
    const waiting = await graph({ waiting: true })
    expect(waiting.waiting).toBe(true)
    const ids = new Set(waiting.nodes.map((node) => node.id))
    // Every deferred device is there with its suppliers, and no bound device that supplies none of them.
    for (const node of whole.nodes.filter((node) => node.state === 'deferred')) {
      expect(ids.has(node.id)).toBe(true)
      for (const e of whole.edges.filter((e) => e.to === node.id))
        expect(ids.has(e.from)).toBe(true)
    }
    expect(waiting.nodes.length).toBeLessThan(whole.nodes.length / 2)
    const suppliersShown = new Set(waiting.edges.map((e) => e.from))
    for (const node of waiting.nodes.filter((node) => node.state === 'bound'))
      expect(suppliersShown.has(node.id)).toBe(true)
    context.close()
  })

  it('refuses a focus on a device the boot does not have, and says which', async () => {
    const { context, bootId } = await db845c()
    const reply = await context.dispatch('lab:graph', { bootId, focus: 'no-such.device' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(!reply.ok && reply.error.message).toContain('no-such.device')
    context.close()
  })

  it('suggests devices to focus on when the graph is over the limit', async () => {
    const { context, graph } = await db845c()
    const small = await graph({ limit: 5 })
    expect(small.nodes).toEqual([])
    expect(small.tooBig?.nodes).toBeGreaterThan(5)
    expect(small.tooBig?.suggestions).toContain('1d84000.ufshc')
    context.close()
  })
})
