import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { DeviceTree, DtNode } from '../../src-main/hardware/devicetree'
import { writeDts } from '../../src-main/hardware/dts-writer'
import { readFdt } from '../../src-main/hardware/fdt'

const CACHE = join(__dirname, '..', '..', '.cache', 'dts-src')

/** The kernel tree subset fetched by scripts/fetch-dts-sources.sh, if any. */
export function kernelSources(): { dir: string; includePrefixes: string } | undefined {
  if (!existsSync(CACHE)) return undefined
  const [version] = readdirSync(CACHE).sort().reverse()
  if (!version) return undefined
  const dir = join(CACHE, version)
  return { dir, includePrefixes: join(dir, 'scripts', 'dtc', 'include-prefixes') }
}

/** What the kernel's build makes of a source: `cpp` as scripts/Makefile.lib runs it, then dtc. */
export function compileWithCpp(file: string, includeDirs: string[]): DeviceTree {
  const flags = includeDirs.flatMap((dir) => ['-I', dir])
  const source = execFileSync(
    'cpp',
    ['-nostdinc', '-undef', '-D__DTS__', '-x', 'assembler-with-cpp', ...flags, file],
    { maxBuffer: 64 * 1024 * 1024 },
  )
  const dtcIncludes = includeDirs.flatMap((dir) => ['-i', dir])
  const blob = execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', ...dtcIncludes], {
    input: source,
    maxBuffer: 64 * 1024 * 1024,
  })
  return readFdt(new Uint8Array(blob))
}

function withoutLabels(node: DtNode): DtNode {
  return {
    name: node.name,
    properties: node.properties,
    children: node.children.map(withoutLabels),
  }
}

/** The tree as canonical source without labels (a blob has none): two trees are equal when these are. */
export function canonicalSource(tree: DeviceTree): string {
  return writeDts({ ...tree, root: withoutLabels(tree.root) })
}
