import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFdt } from '../../src-main/hardware/fdt'
import { indexTree } from '../../src-main/hardware/tree-index'
import { validateTree } from '../../src-main/hardware/validate'
import { TreeChecker } from '../../src-main/hardware/validate-incremental'
import { edit, setProperty } from '../support/tree-edits'

const DB845C = join(__dirname, '..', '..', 'resources', 'profiles', 'db845c', 'board.dtb')
const board = () => readFdt(new Uint8Array(readFileSync(DB845C)))
const cell = (value: number) => new Uint8Array([value >>> 24, value >>> 16, value >>> 8, value])
const text = (value: string) => new TextEncoder().encode(`${value}\0`)

describe('TreeChecker', () => {
  it("re-checks only the edited node, its neighbours and its phandle's referrers", () => {
    const tree = board()
    const nodes = indexTree(tree).all.length
    const checker = new TreeChecker(tree)
    expect(checker.nodesChecked).toBe(nodes)
    expect(checker.findings).toEqual(validateTree(tree))

    // The end-to-end test's edit: a dangling interrupt-parent on the root.
    const broken = setProperty(tree, '/', 'interrupt-parent', cell(0xdead))
    const before = checker.nodesChecked
    const findings = checker.update(broken)
    expect(findings).toContainEqual(
      expect.objectContaining({
        path: '/',
        message: 'interrupt-parent refers to phandle 0xdead, which no node has',
      }),
    )
    expect(findings).toEqual(validateTree(broken))
    // The root alone: not the 901 nodes.
    expect(checker.nodesChecked - before).toBe(1)

    // Its #address-cells: the root and its children, whose reg reads it.
    const cells = setProperty(broken, '/', '#address-cells', cell(1))
    const cellsBefore = checker.nodesChecked
    expect(checker.update(cells)).toEqual(validateTree(cells))
    expect(checker.nodesChecked - cellsBefore).toBe(1 + cells.root.children.length)
    expect(checker.update(broken)).toEqual(validateTree(broken))

    // A leaf deep in /soc: itself and its parent.
    const uart = '/soc@0/geniqup@ac0000/serial@a84000'
    const next = setProperty(broken, uart, 'reg', cell(0xa84000))
    const leafBefore = checker.nodesChecked
    expect(checker.update(next)).toEqual(validateTree(next))
    expect(checker.nodesChecked - leafBefore).toBe(2)
  })

  it('a clock controller losing #clock-cells re-checks the nodes that use its clocks', () => {
    const tree = board()
    const checker = new TreeChecker(tree)
    const gcc = '/soc@0/clock-controller@100000'
    const next = edit(tree, gcc, (node) => ({
      ...node,
      properties: node.properties.filter((p) => p.name !== '#clock-cells'),
    }))
    const before = checker.nodesChecked
    const findings = checker.update(next)
    expect(findings).toEqual(validateTree(next))
    expect(findings.some((f) => f.message.includes(`which has no #clock-cells`))).toBe(true)
    const referrers = indexTree(next).all.filter((node) =>
      node.node.properties.some((p) => p.name === 'clocks'),
    ).length
    expect(checker.nodesChecked - before).toBeLessThan(referrers + 10)
  })

  it("a bus that stops being one takes its descendants' devices with it", () => {
    const options = { knownCompatibles: new Set<string>(), kernelName: 'test' }
    const nested = setProperty(board(), '/soc@0/geniqup@ac0000', 'compatible', text('simple-bus'))
    const checker = new TreeChecker(nested, options)
    const uart = (findings: { path: string; check: string }[]) =>
      findings.some((f) => f.check === 'no_driver' && f.path.startsWith('/soc@0/geniqup@ac0000/'))
    expect(uart(checker.findings)).toBe(true)
    const next = setProperty(nested, '/soc@0', 'compatible', text('acme,thing'))
    expect(uart(checker.update(next))).toBe(false)
    expect(checker.findings).toEqual(validateTree(next, options))
  })

  it('agrees with a check of the whole tree after every one of a series of edits', () => {
    const known = new Set(['qcom,geni-debug-uart', 'qcom,sdm845-gcc', 'arm,armv8-timer'])
    const options = { knownCompatibles: known, kernelName: 'test' }
    let tree = board()
    const checker = new TreeChecker(tree, options)
    // Nodes others refer to and nodes near the root (buses, whose edits reach far), most of all.
    const paths = indexTree(tree)
      .all.filter((node) => node.phandle !== undefined || node.path.split('/').length <= 3)
      .map((node) => node.path)
    let seed = 845
    const pick = <T>(list: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return list[seed % list.length] as T
    }
    for (let step = 0; step < 150; step++) {
      const live = new Set(indexTree(tree).all.map((node) => node.path))
      const path = pick(paths.filter((candidate) => live.has(candidate)))
      const phandles = [...indexTree(tree).byPhandle.keys()]
      const kind = pick([
        'status',
        'phandle',
        'ref',
        'cells',
        'remove',
        'rename',
        'add',
        'bus',
        'unbus',
      ])
      if (kind === 'status')
        tree = setProperty(tree, path, 'status', text(pick(['okay', 'disabled'])))
      else if (kind === 'phandle') tree = setProperty(tree, path, 'phandle', cell(pick(phandles)))
      else if (kind === 'ref')
        tree = setProperty(
          tree,
          path,
          'clocks',
          new Uint8Array([...cell(pick(phandles)), ...cell(1)]),
        )
      else if (kind === 'cells')
        tree = setProperty(tree, path, '#address-cells', cell(pick([1, 2])))
      else if (kind === 'unbus') tree = setProperty(tree, path, 'compatible', text('acme,thing'))
      else if (kind === 'bus') tree = setProperty(tree, path, 'compatible', text('simple-bus'))
      else if (path !== '/' && kind === 'remove') tree = edit(tree, path, () => undefined)
      else if (path !== '/' && kind === 'rename')
        tree = edit(tree, path, (node) => ({ ...node, name: `${node.name}x` }))
      else
        tree = edit(tree, path, (node) => ({
          ...node,
          children: [...node.children, { name: 'added@0', properties: [], children: [] }],
        }))
      expect(checker.update(tree), `step ${step}: ${kind} ${path}`).toEqual(
        validateTree(tree, options),
      )
    }
  })
})
