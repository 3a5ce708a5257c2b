import { cells, type DeviceTree } from './devicetree'
import { isGpioProperty, isPlainPhandleProperty, PHANDLE_WITH_ARGS } from './phandle-properties'
import { indexTree, isAvailable, propertyCells, type OfNode, type OfTree } from './tree-index'

/** The checks, named after dtc's where dtc has one. */
export const CHECKS = {
  phandle_references: 'Phandle references',
  reg_format: 'reg format',
  unit_address_vs_reg: 'Unit address and reg',
  unique_unit_address_if_enabled: 'Duplicate unit addresses',
  no_driver: 'Devices no driver matches',
} as const
export type CheckName = keyof typeof CHECKS

export interface Finding {
  severity: 'error' | 'warning' | 'info'
  check: CheckName
  /** The node's full path. */
  path: string
  message: string
}

export interface ValidateOptions {
  /** The compatibles some driver of the chosen kernel matches; when given, unmatched devices are reported. */
  knownCompatibles?: ReadonlySet<string>
  kernelName?: string
}

const CELLS_BY_PROPERTY = new Map(
  PHANDLE_WITH_ARGS.map(([property, cellsName]) => [property, cellsName]),
)
// #msi-cells is optional: a target without it takes no arguments.
const OPTIONAL_CELLS = new Set(['#msi-cells'])

/** What one node's checks found, by the order validateTree reports them in. */
export interface NodeFindings {
  /** Its phandles and its reg. */
  own: Finding[]
  /** Duplicate unit addresses among its children (each finding names the child). */
  children: Finding[]
  /** No driver for it (when the options name the kernel's compatibles). */
  driver: Finding[]
  /** Every phandle its properties look up, found or not: whose change can change its findings. */
  refers: Set<number>
}

/** Checks one node of an indexed tree: what it owns in the findings of the whole tree. */
export function checkNode(of: OfTree, node: OfNode, options: ValidateOptions = {}): NodeFindings {
  const found: NodeFindings = { own: [], children: [], driver: [], refers: new Set() }
  checkPhandles(of, node, found.own, found.refers)
  checkReg(node, found.own)
  checkSiblingUnitAddresses(node, found.children)
  if (options.knownCompatibles)
    checkDriver(node, options.knownCompatibles, options.kernelName ?? 'the kernel', found.driver)
  return found
}

/** The findings of nodes in tree order: phandles and reg, then unit addresses, then drivers. */
export function flattenFindings(checked: Iterable<NodeFindings>): Finding[] {
  const list = [...checked]
  return [
    ...list.flatMap((found) => found.own),
    ...list.flatMap((found) => found.children),
    ...list.flatMap((found) => found.driver),
  ]
}

/** Problems a user can act on, by node: phandles, reg sizes, unit addresses, unmatched compatibles. */
export function validateTree(tree: DeviceTree, options: ValidateOptions = {}): Finding[] {
  const of = indexTree(tree)
  return flattenFindings(of.all.map((node) => checkNode(of, node, options)))
}

function hexCell(value: number): string {
  return `0x${value.toString(16)}`
}

function checkPhandles(of: OfTree, node: OfNode, findings: Finding[], refers: Set<number>): void {
  for (const property of node.node.properties) {
    const { name } = property
    const cellsName =
      CELLS_BY_PROPERTY.get(name) ?? (isGpioProperty(name) ? '#gpio-cells' : undefined)
    if (!cellsName && !isPlainPhandleProperty(name)) continue
    // This property's own cells: looking each one up by name made a node of 400 properties quadratic.
    const values = cells(property)
    if (cellsName) {
      for (let at = 0; at < values.length;) {
        const phandle = values[at] as number
        refers.add(phandle)
        const target = of.byPhandle.get(phandle)
        if (!target) {
          findings.push({
            severity: 'error',
            check: 'phandle_references',
            path: node.path,
            message: `${name} refers to phandle ${hexCell(phandle)}, which no node has`,
          })
          break
        }
        const count = propertyCells(target, cellsName)[0]
        if (count === undefined && !OPTIONAL_CELLS.has(cellsName)) {
          findings.push({
            severity: 'warning',
            check: 'phandle_references',
            path: node.path,
            message: `${name} refers to ${target.path}, which has no ${cellsName}`,
          })
        }
        const next = at + 1 + (count ?? 0)
        if (next > values.length) {
          findings.push({
            severity: 'error',
            check: 'phandle_references',
            path: node.path,
            message: `${name} ends inside its entry for ${target.path} (${cellsName} = ${count})`,
          })
        }
        at = next
      }
    } else {
      for (const phandle of values) {
        refers.add(phandle)
        if (!of.byPhandle.has(phandle)) {
          findings.push({
            severity: 'error',
            check: 'phandle_references',
            path: node.path,
            message: `${name} refers to phandle ${hexCell(phandle)}, which no node has`,
          })
        }
      }
    }
  }
}

function parentCells(node: OfNode): { na: number; ns: number } {
  const parent = node.parent
  return {
    na: (parent && propertyCells(parent, '#address-cells')[0]) ?? 2,
    ns: (parent && propertyCells(parent, '#size-cells')[0]) ?? 1,
  }
}

function checkReg(node: OfNode, findings: Finding[]): void {
  if (!node.parent) return
  const hasReg = node.node.properties.some((p) => p.name === 'reg')
  const hasRanges = node.node.properties.some((p) => p.name === 'ranges')
  const unit = node.node.name.includes('@')
    ? node.node.name.slice(node.node.name.indexOf('@') + 1)
    : undefined
  const { na, ns } = parentCells(node)
  if (hasReg) {
    const bytes = node.node.properties.find((p) => p.name === 'reg')?.value.length ?? 0
    const entry = (na + ns) * 4
    if (entry > 0 && bytes % entry !== 0) {
      findings.push({
        severity: 'error',
        check: 'reg_format',
        path: node.path,
        message: `reg has ${bytes} bytes, not a multiple of ${na + ns} cells (#address-cells = ${na}, #size-cells = ${ns} in ${node.parent.path})`,
      })
      return
    }
    if (unit === undefined) {
      findings.push({
        severity: 'warning',
        check: 'unit_address_vs_reg',
        path: node.path,
        message: 'has a reg property but no unit address in its name',
      })
    } else {
      const expected = expectedUnitAddress(node, na)
      if (expected !== undefined && unit !== expected) {
        findings.push({
          severity: 'warning',
          check: 'unit_address_vs_reg',
          path: node.path,
          message: `unit address @${unit} does not match reg: expected @${expected}`,
        })
      }
    }
  } else if (unit !== undefined && !hasRanges) {
    findings.push({
      severity: 'warning',
      check: 'unit_address_vs_reg',
      path: node.path,
      message: `has a unit address (@${unit}) but no reg or ranges property`,
    })
  }
}

const baseName = (node: OfNode) => node.node.name.split('@')[0] ?? ''

/**
 * The unit address reg gives, as dtc's bus checks format it: the first cell on I2C, SPI and SPMI
 * buses (address, chip select, USID), the whole first address on simple buses;
 * undefined where dtc checks no format (other parents, or unit addresses with a comma).
 */
function expectedUnitAddress(node: OfNode, na: number): string | undefined {
  const parent = node.parent as OfNode
  const unit = node.node.name.slice(node.node.name.indexOf('@') + 1)
  const reg = propertyCells(node, 'reg')
  if (na === 0 || unit.includes(',') || reg.length < na) return undefined
  const parentName = baseName(parent)
  if (['i2c', 'i2c-bus', 'i2c-arb'].includes(parentName))
    // I2C_TEN_BIT_ADDRESS and I2C_OWN_SLAVE_ADDRESS are flags, not address bits.
    return ((reg[0] as number) & 0x3fffffff).toString(16)
  if (['spi', 'spmi'].includes(parentName)) return (reg[0] as number).toString(16)
  if (!isBus(parent)) return undefined
  return reg
    .slice(0, na)
    .reduce((sum, value) => (sum << 32n) | BigInt(value), 0n)
    .toString(16)
}

/** dtc's unique_unit_address_if_enabled: siblings share a unit address only when one is disabled. */
function checkSiblingUnitAddresses(node: OfNode, findings: Finding[]): void {
  const seen = new Map<string, OfNode>()
  for (const child of node.children) {
    if (!isAvailable(child)) continue
    const at = child.node.name.indexOf('@')
    if (at < 0) continue
    const unit = child.node.name.slice(at + 1)
    const other = seen.get(unit)
    if (other) {
      findings.push({
        severity: 'warning',
        check: 'unique_unit_address_if_enabled',
        path: child.path,
        message: `duplicate unit address @${unit} (also used by ${other.path})`,
      })
    } else {
      seen.set(unit, child)
    }
  }
}

const BUSES = ['simple-bus', 'simple-mfd', 'isa', 'arm,amba-bus']
const isBus = (node: OfNode) => node.compatible.some((compatible) => BUSES.includes(compatible))

/** Nodes that become devices by the usual populate rule: children of the root or of a bus, buses aside. */
function becomesDevice(node: OfNode): boolean {
  if (!node.parent || isBus(node)) return false
  for (let parent: OfNode | undefined = node.parent; parent?.parent; parent = parent.parent) {
    if (!isBus(parent)) return false
  }
  return true
}

function checkDriver(
  node: OfNode,
  known: ReadonlySet<string>,
  kernelName: string,
  findings: Finding[],
): void {
  if (node.compatible.length === 0 || !isAvailable(node) || !becomesDevice(node)) return
  // of_skipped_node_table: of_platform_populate() makes no device of an OPP table.
  if (node.compatible.includes('operating-points-v2')) return
  if (node.compatible.some((compatible) => known.has(compatible))) return
  findings.push({
    severity: 'info',
    check: 'no_driver',
    path: node.path,
    message: `no driver in ${kernelName} matches ${node.compatible.join(', ')}`,
  })
}
