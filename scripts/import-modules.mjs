#!/usr/bin/env node
// Fills a kernel profile's modules.json and exports.json from a real Debian kernel package:
// each named module's .modinfo, exported and undefined symbols (with the CRCs of __versions) and
// section sizes from its .ko, or its modules.builtin.modinfo entry when the build has it built in;
// and every vmlinux export (name, CRC, GPL-only, namespace) from the headers' Module.symvers.
//
//   node scripts/import-modules.mjs IMAGE_ROOT MODULE_SYMVERS KERNEL_DIR name=CONFIG_SYMBOL...
//
// IMAGE_ROOT is `dpkg-deb -x linux-image-<ver>-arm64_*.deb`; MODULE_SYMVERS comes from
// linux-headers-<ver>-arm64 (usr/src/linux-headers-<ver>/Module.symvers).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [imageRoot, symversPath, kernelDir, ...wanted] = process.argv.slice(2)
if (!imageRoot || !symversPath || !kernelDir || wanted.length === 0) {
  console.error(
    'usage: node scripts/import-modules.mjs IMAGE_ROOT MODULE_SYMVERS KERNEL_DIR name=CONFIG_SYMBOL...',
  )
  process.exit(2)
}
const release = readdirSync(join(imageRoot, 'lib/modules'))[0]
const modulesDir = join(imageRoot, 'lib/modules', release)

const symvers = readFileSync(symversPath, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const [crc, name, owner, kind, namespace] = line.split('\t')
    return {
      crc: `0x${BigInt(crc).toString(16)}`,
      name,
      owner,
      gpl: kind === 'EXPORT_SYMBOL_GPL',
      namespace,
    }
  })

/** The sections of an ELF64 little-endian relocatable object, by name. */
function readElf(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const shoff = Number(view.getBigUint64(40, true))
  const count = view.getUint16(60, true)
  const shstrndx = view.getUint16(62, true)
  const headers = []
  for (let i = 0; i < count; i++) {
    const at = shoff + i * 64
    headers.push({
      nameOffset: view.getUint32(at, true),
      type: view.getUint32(at + 4, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
      link: view.getUint32(at + 40, true),
    })
  }
  const names = headers[shstrndx]
  const cstring = (start) => {
    let end = start
    while (bytes[end] !== 0) end++
    return new TextDecoder().decode(bytes.subarray(start, end))
  }
  return headers.map((header, index) => ({
    ...header,
    index,
    name: cstring(names.offset + header.nameOffset),
    data: bytes.subarray(header.offset, header.offset + (header.type === 8 ? 0 : header.size)),
    cstring,
  }))
}

const strings = (data) => new TextDecoder().decode(data).split('\0').filter(Boolean)

function fromKo(name, kconfig, relativePath) {
  const bytes = new Uint8Array(readFileSync(join(modulesDir, relativePath)))
  const sections = readElf(bytes)
  const section = (sectionName) => sections.find((s) => s.name === sectionName)
  const generated = new Set(['depends', 'intree', 'name', 'vermagic', 'retpoline'])
  const entries = strings(section('.modinfo').data)
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])
    .filter(([key]) => !generated.has(key) && key !== 'parm' && key !== 'parmtype')
  // Aliases after the OF table's come from the other device tables; modlab emits them after its OF aliases.
  const firstOf = entries.findIndex(([key, value]) => key === 'alias' && value.startsWith('of:'))
  const info = entries.filter(
    ([key, value], i) =>
      !(key === 'alias' && (value.startsWith('of:') || (firstOf >= 0 && i > firstOf))),
  )
  const tableAliases =
    firstOf < 0
      ? []
      : entries
          .slice(firstOf)
          .filter(([key, value]) => key === 'alias' && !value.startsWith('of:'))
          .map(([, value]) => value)
  const parmTypes = new Map()
  const parmDescriptions = new Map()
  for (const entry of strings(section('.modinfo').data)) {
    const [key, value] = [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]
    const [param, rest] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)]
    if (key === 'parmtype') parmTypes.set(param, rest)
    if (key === 'parm') parmDescriptions.set(param, rest)
  }
  const versions = new Map()
  const versionData = section('__versions')?.data ?? new Uint8Array()
  const versionView = new DataView(
    versionData.buffer,
    versionData.byteOffset,
    versionData.byteLength,
  )
  for (let at = 0; at + 64 <= versionData.length; at += 64) {
    const crc = versionView.getBigUint64(at, true)
    const end = versionData.indexOf(0, at + 8)
    versions.set(
      new TextDecoder().decode(versionData.subarray(at + 8, end)),
      `0x${crc.toString(16)}`,
    )
  }
  const symtab = section('.symtab')
  const strtab = sections[symtab.link]
  const symView = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength)
  const imports = []
  for (let at = 24; at + 24 <= symtab.data.length; at += 24) {
    const shndx = symView.getUint16(at + 6, true)
    const bind = symView.getUint8(at + 4) >> 4
    const symbolName = strtab.cstring(strtab.offset + symView.getUint32(at, true))
    if (shndx !== 0 || !symbolName || symbolName === '__this_module') continue
    const crc = versions.get(symbolName)
    imports.push(
      crc || bind === 2
        ? { name: symbolName, ...(crc ? { crc } : {}), ...(bind === 2 ? { weak: true } : {}) }
        : symbolName,
    )
  }
  const owned = symvers.filter(
    (symbol) => symbol.owner === relativePath.replace(/^kernel\//, '').replace(/\.ko$/, ''),
  )
  const exports = strings(section('__ksymtab_strings')?.data ?? new Uint8Array()).map(
    (symbolName) => {
      const symbol = owned.find((candidate) => candidate.name === symbolName)
      return { name: symbolName, gpl: symbol?.gpl ?? false, ...(symbol ? { crc: symbol.crc } : {}) }
    },
  )
  const sum = (test) =>
    sections
      .filter((s) => (s.type === 1 || s.type === 8) && test(s.name))
      .reduce((total, s) => total + s.size, 0)
  return {
    name,
    kconfig,
    path: relativePath,
    info,
    tableAliases,
    params: [...parmTypes].map(([param, type]) => ({
      name: param,
      type,
      description: parmDescriptions.get(param) ?? '',
    })),
    exports,
    imports,
    sizes: {
      text: sum((n) => n.startsWith('.text') || n === '.plt'),
      rodata: sum(
        (n) =>
          n.startsWith('.rodata') ||
          n.startsWith('__ksymtab') ||
          n === '__param' ||
          n === '__ex_table',
      ),
      data: sum(
        (n) =>
          n.startsWith('.data') ||
          n === '.bss' ||
          n === '.gnu.linkonce.this_module' ||
          n === '__bug_table' ||
          n === '__patchable_function_entries',
      ),
      initText: sum((n) => n === '.init.text' || n === '.init.plt'),
      initData: sum((n) => n === '.init.data' || n === '.init.rodata'),
    },
  }
}

function fromBuiltin(name, kconfig) {
  const path = readFileSync(join(modulesDir, 'modules.builtin'), 'utf8')
    .split('\n')
    .find((line) => line.replace(/^.*\//, '').replace(/\.ko$/, '').replaceAll('-', '_') === name)
  if (!path) throw new Error(`${name}: neither a .ko nor in modules.builtin`)
  const info = strings(readFileSync(join(modulesDir, 'modules.builtin.modinfo')))
    .filter((entry) => entry.startsWith(`${name}.`))
    .map((entry) => entry.slice(name.length + 1))
    .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])
    .filter(([key, value]) => key !== 'file' && !(key === 'alias' && value.startsWith('of:')))
  return { name, kconfig, path, info, sizes: { text: 0 } }
}

const modules = wanted.map((spec) => {
  const [name, kconfig] = spec.split('=')
  const dep = readFileSync(join(modulesDir, 'modules.order'), 'utf8').split('\n')
  const path = dep.find(
    (line) => line.replace(/^.*\//, '').replace(/\.ko$/, '').replaceAll('-', '_') === name,
  )
  return path && existsSync(join(modulesDir, path))
    ? fromKo(name, kconfig, path)
    : fromBuiltin(name, kconfig)
})
const exports = symvers
  .filter((symbol) => symbol.owner === 'vmlinux')
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  .map(({ name, crc, gpl, namespace }) => ({ name, gpl, crc, ...(namespace ? { namespace } : {}) }))
writeFileSync(join(kernelDir, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`)
writeFileSync(
  join(kernelDir, 'exports.json'),
  `[\n${exports.map((symbol) => JSON.stringify(symbol)).join(',\n')}\n]\n`,
)
console.log(`${modules.length} modules, ${exports.length} vmlinux exports (${release})`)
