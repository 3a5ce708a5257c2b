#!/usr/bin/env tsx
// Generates a kernel profile's catalog.json.gz from Debian's packages of one kernel series:
// every module of linux-image-<release>-arm64 (read from its .ko files), modules.builtin(.modinfo),
// the config, every vmlinux export (Module.symvers of linux-headers-<release>-arm64), and, from
// linux-source-<series>, the drivers with their OF match tables and registrations and the Kconfig
// symbols. Offline once scripts/fetch-kernel-packages.sh has cached the packages.
//
//   tsx scripts/import-kernel.ts SERIES KERNEL_DIR      (e.g. 6.12 resources/kernels/debian-6.12-arm64)
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildCatalog, type SourceFacts } from '../src-main/catalog/import/catalog-builder'
import { diskTree } from '../src-main/catalog/import/disk-tree'
import { catalogFiles } from '../src-main/catalog/catalog-file'
import type { KernelCatalog } from '../src-main/catalog/kernel-catalog-schema'
import { writeKernelCompatibles } from '../src-main/catalog/kernel-compatibles'
import { loadKernelProfile } from '../src-main/catalog/kernel-profiles'
import { SUMMARY_FILE } from '../src-main/catalog/kernel-registry'
import { sourceFacts } from './kernel-import/source-facts'

const [series, kernelDir] = process.argv.slice(2)
if (!series || !kernelDir) {
  console.error('usage: tsx scripts/import-kernel.ts SERIES KERNEL_DIR')
  process.exit(2)
}
const root = join(import.meta.dirname, '..')
const release = execFileSync(
  'bash',
  [join(root, 'scripts/fetch-kernel-packages.sh'), series, '--source'],
  {
    encoding: 'utf8',
  },
).trim()
const cache = join(root, '.cache/kernels', release)
const config = readFileSync(join(cache, 'config'), 'utf8')
const source: SourceFacts | undefined = sourceFacts(root, series, join(cache, 'config'))
const started = Date.now()
const { catalog, problems, notes } = buildCatalog(
  {
    modules: diskTree(join(cache, 'lib/modules', release), release),
    symvers: readFileSync(join(cache, 'Module.symvers'), 'utf8'),
    config,
  },
  source,
  (done, total) => {
    if (done % 500 === 0 || done === total) process.stderr.write(`\r${done}/${total} modules`)
  },
)
process.stderr.write('\n')
if (problems.length > 0)
  throw new Error(`unreadable modules: ${JSON.stringify(problems.slice(0, 5))}`)
const packages = readFileSync(join(cache, 'SOURCE'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [name, version, sha256] = line.split(' ') as [string, string, string]
    return { name, version, sha256 }
  })
if (source) packages.push(...sourcePackages(series))
const data = {
  provenance: { generator: 'scripts/import-kernel.ts', packages },
  ...catalog,
}
mkdirSync(kernelDir, { recursive: true })
for (const [name, bytes] of Object.entries(catalogFiles(data as KernelCatalog, 9)))
  writeFileSync(join(kernelDir, name), bytes)
writeFileSync(
  join(kernelDir, SUMMARY_FILE),
  `${JSON.stringify({ modules: catalog.modules.length, drivers: catalog.drivers.length }, null, 2)}\n`,
)
// The board checks read these instead of loading the build; the curated files join the catalog's.
if (existsSync(join(kernelDir, 'kernel.json')))
  writeKernelCompatibles(kernelDir, loadKernelProfile(kernelDir))
console.log(
  `${catalog.modules.length} modules, ${catalog.builtin.length} built-in modules, ` +
    `${catalog.exports.length} vmlinux exports, ${catalog.drivers.length} drivers ` +
    `(+${catalog.foreignDrivers.length} on other buses), ${Object.keys(catalog.kconfig).length} Kconfig symbols ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s${notes.length ? `; ${notes.join('; ')}` : ''}`,
)

function sourcePackages(series: string) {
  const deb = execFileSync('bash', ['-c', `ls ${root}/.cache/debs/linux-source-${series}_*.deb`], {
    encoding: 'utf8',
  }).trim()
  const field = (name: string) =>
    execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim()
  const sha256 = execFileSync('sha256sum', [deb], { encoding: 'utf8' }).split(' ')[0] as string
  return existsSync(deb) ? [{ name: field('Package'), version: field('Version'), sha256 }] : []
}
