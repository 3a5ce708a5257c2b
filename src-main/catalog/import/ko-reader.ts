import type { ModuleInput as ModuleDefinition } from '../module-schema'
import { cStrings, ElfObject, KoFormatError, SHN_UNDEF, STB_WEAK } from './elf'
import { LAYOUT_6_12, moduleLayout, type LayoutRules, type SectionPlaces } from './module-layout'

/** include/linux/module_signature.h: MODULE_SIG_STRING after a 12-byte struct module_signature. */
const SIG_MAGIC = new TextEncoder().encode('~Module signature appended~\n')
const SIG_INFO_SIZE = 12

/** The ELF part of a module file and the PKCS#7 message appended to it, if any (mod_check_sig()). */
export function splitSignature(bytes: Uint8Array): {
  elf: Uint8Array
  signed: boolean
  pkcs7?: Uint8Array
} {
  const magicAt = bytes.length - SIG_MAGIC.length
  if (magicAt < SIG_INFO_SIZE || !SIG_MAGIC.every((byte, i) => bytes[magicAt + i] === byte))
    return { elf: bytes, signed: false }
  const info = magicAt - SIG_INFO_SIZE
  const sigLen = new DataView(bytes.buffer, bytes.byteOffset + info + 8, 4).getUint32(0, false)
  if (sigLen > info) throw new KoFormatError('truncated: the appended signature is cut short')
  return {
    elf: bytes.subarray(0, info - sigLen),
    signed: true,
    pkcs7: bytes.subarray(info - sigLen, info),
  }
}

interface Der {
  tag: number
  value: Uint8Array
}

/** The DER elements one after another in `bytes`. */
function derChildren(bytes: Uint8Array): Der[] {
  const children: Der[] = []
  let at = 0
  while (at + 2 <= bytes.length) {
    const tag = bytes[at] as number
    let length = bytes[at + 1] as number
    let start = at + 2
    if (length & 0x80) {
      const count = length & 0x7f
      length = 0
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] as number)
      start += count
    }
    if (start + length > bytes.length) return children
    children.push({ tag, value: bytes.subarray(start, start + length) })
    at = start + length
  }
  return children
}

/**
 * The signature octets of a module's PKCS#7 message, as modinfo prints them: ContentInfo →
 * [0] SignedData → its signerInfos SET → the first SignerInfo → its last element, the signature.
 */
export function pkcs7Signature(pkcs7: Uint8Array): Uint8Array | undefined {
  const [contentInfo] = derChildren(pkcs7)
  const explicit = contentInfo && derChildren(contentInfo.value).find((el) => el.tag === 0xa0)
  const [signedData] = explicit ? derChildren(explicit.value) : []
  const signerInfos =
    signedData &&
    derChildren(signedData.value)
      .filter((el) => el.tag === 0x31)
      .at(-1)
  const [signerInfo] = signerInfos ? derChildren(signerInfos.value) : []
  const signature = signerInfo && derChildren(signerInfo.value).at(-1)
  return signature?.tag === 0x04 ? signature.value : undefined
}

/** `key=value` entries of a .modinfo section, in order. */
export function modinfoPairs(data: Uint8Array): [string, string][] {
  return cStrings(data).map((entry) => {
    const eq = entry.indexOf('=')
    return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)]
  })
}

const PARAM_TYPES = new Set([
  'bool',
  'int',
  'uint',
  'long',
  'ulong',
  'charp',
  'short',
  'ushort',
  'byte',
])

/**
 * A module as its `.ko` says: the whole `.modinfo` (modpost's tags included), parameters,
 * exports (their CRCs and GPL-ness from `exportInfo`, Module.symvers' view), undefined symbols
 * with their `__versions` CRCs, init/exit, and section sizes.
 */
export function readKo(
  bytes: Uint8Array,
  path: string,
  kconfig: string,
  exportInfo: (name: string) => { gpl: boolean; crc?: string; namespace?: string } | undefined,
  layout: LayoutRules = LAYOUT_6_12,
): ModuleDefinition {
  const { elf: elfBytes, signed, pkcs7 } = splitSignature(bytes)
  const signature = pkcs7 && pkcs7Signature(pkcs7)
  const elf = new ElfObject(elfBytes)
  const modinfo = elf.section('.modinfo')
  if (!modinfo) throw new KoFormatError('no .modinfo section: not a kernel module')
  const info = modinfoPairs(modinfo.data)
  const tag = (key: string) => info.find(([k]) => k === key)?.[1]
  const name = tag('name')
  if (!name) throw new KoFormatError('.modinfo has no name= tag (not built by modpost)')

  const versions = readVersions(elf.section('__versions')?.data)
  const imports: ModuleDefinition['imports'] = []
  const ksymtab = new Set<string>()
  let hasInit = false
  let hasExit = false
  for (const symbol of elf.symbols()) {
    if (symbol.shndx !== SHN_UNDEF) {
      if (symbol.name === 'init_module') hasInit = true
      if (symbol.name === 'cleanup_module') hasExit = true
      if (symbol.name.startsWith('__ksymtab_')) ksymtab.add(symbol.name.slice(10))
      continue
    }
    if (!symbol.name || symbol.name === '__this_module') continue
    const crc = versions.get(symbol.name)
    const weak = symbol.bind === STB_WEAK
    imports.push(
      crc || weak
        ? { name: symbol.name, ...(crc ? { crc } : {}), ...(weak ? { weak } : {}) }
        : symbol.name,
    )
  }
  const exports = cStrings(elf.section('__ksymtab_strings')?.data ?? new Uint8Array())
    // __ksymtab_strings also holds the namespaces' names: an export has its __ksymtab_ entry.
    .filter((symbol) => ksymtab.has(symbol))
    .map((symbol) => {
      const known = exportInfo(symbol)
      return {
        name: symbol,
        gpl: known?.gpl ?? false,
        ...(known?.crc ? { crc: known.crc } : {}),
        ...(known?.namespace ? { namespace: known.namespace } : {}),
      }
    })
  const params = new Map<string, { type?: string; description: string }>()
  for (const [key, value] of info) {
    if (key !== 'parm' && key !== 'parmtype') continue
    const colon = value.indexOf(':')
    const param = params.get(value.slice(0, colon)) ?? { description: '' }
    if (key === 'parm') param.description = value.slice(colon + 1)
    else param.type = value.slice(colon + 1)
    params.set(value.slice(0, colon), param)
  }
  const places: SectionPlaces = new Map()
  const sizes = moduleLayout(elf, places, layout)
  return {
    name,
    kconfig,
    path,
    info,
    complete: true,
    tableAliases: [],
    intree: tag('intree') === 'Y',
    signed,
    ...(signature ? { signature: Buffer.from(signature).toString('hex').toUpperCase() } : {}),
    vermagic: tag('vermagic'),
    params: [...params]
      .filter(([, param]) => param.type && PARAM_TYPES.has(param.type))
      .map(([param, { type, description }]) => ({
        name: param,
        type: type as 'int',
        description,
      })),
    exports,
    imports,
    importNamespaces: info.filter(([key]) => key === 'import_ns').map(([, value]) => value),
    hasInit,
    hasExit,
    init: { us: 0, messages: [], ...initFunction(elf, places, sizes.initText) },
    sizes,
  }
}

/** __versions: 64-byte entries of a CRC and a name (struct modversion_info). */
function readVersions(data: Uint8Array | undefined): Map<string, string> {
  const versions = new Map<string, string>()
  if (!data) return versions
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const decoder = new TextDecoder()
  for (let at = 0; at + 64 <= data.length; at += 64) {
    const crc = view.getBigUint64(at, true) & 0xffffffffn
    const end = data.indexOf(0, at + 8)
    versions.set(
      decoder.decode(data.subarray(at + 8, end < 0 ? at + 64 : end)),
      `0x${crc.toString(16)}`,
    )
  }
  return versions
}

const PAGE = 4096

/**
 * The init function as initcall_debug names it (`calling  vrf_init_module+0x0/0xff8 [vrf]`):
 * the function `init_module` aliases, and its kallsyms size, which runs to the next symbol of the
 * init text or to the end of that page-aligned region (kernel/module/kallsyms.c
 * find_kallsyms_symbol(); arm64's mapping symbols `$x`/`$d` do not count).
 */
function initFunction(
  elf: ElfObject,
  places: SectionPlaces,
  initText: number,
): { fn?: string; size: number } {
  const symbols = elf.symbols()
  const alias = symbols.find(
    (symbol) => symbol.name === 'init_module' && symbol.shndx !== SHN_UNDEF,
  )
  if (!alias) return { size: 0 }
  const fn = symbols.find(
    (symbol) =>
      symbol.shndx === alias.shndx &&
      symbol.value === alias.value &&
      // A section symbol (6.1's modules have them) has no name of its own.
      symbol.name !== '' &&
      symbol.name !== 'init_module' &&
      !symbol.name.startsWith('$'),
  )
  const place = places.get(alias.shndx)
  if (!place || place.region !== 'initText') return { ...(fn ? { fn: fn.name } : {}), size: 0 }
  const start = place.offset + Number(alias.value)
  const addresses = symbols
    .filter((symbol) => symbol.name && !symbol.name.startsWith('$') && symbol.shndx !== SHN_UNDEF)
    .map((symbol) => {
      const at = places.get(symbol.shndx)
      return at?.region === 'initText' ? at.offset + Number(symbol.value) : -1
    })
    .filter((address) => address > start)
  const regionEnd = Math.ceil(initText / PAGE) * PAGE
  const next = Math.min(regionEnd, ...addresses)
  return { ...(fn ? { fn: fn.name } : {}), size: next - start }
}
