import type { ModuleDefinition } from './module-schema'

/**
 * A minimal ELF64 relocatable `.ko` for a module definition, holding what kmod's tools read:
 * `.modinfo`, `__ksymtab_strings` (the exports), `.symtab` (undefined symbols are the imports,
 * `__crc_*` absolute symbols the export CRCs) and `__versions` (the imports' CRCs). There is no
 * code in it: it lets Debian's depmod, modprobe and modinfo check the simulated module tree.
 */
export function writeKo(
  def: ModuleDefinition,
  info: readonly (readonly [string, string])[],
  machine = ELF_MACHINE_AARCH64,
): Uint8Array {
  const encoder = new TextEncoder()
  const cstrings = (values: readonly string[]): Uint8Array =>
    encoder.encode(values.map((value) => `${value}\0`).join(''))

  const strtab = new StringTable()
  const symbols: { name: number; info: number; shndx: number; value: bigint }[] = [
    { name: 0, info: 0, shndx: 0, value: 0n },
  ]
  for (const entry of def.imports) {
    const { name, weak } = typeof entry === 'string' ? { name: entry, weak: false } : entry
    symbols.push({ name: strtab.add(name), info: ((weak ? 2 : 1) << 4) | 0, shndx: 0, value: 0n })
  }
  for (const symbol of def.exports) {
    if (symbol.crc === undefined) continue
    symbols.push({
      name: strtab.add(`__crc_${symbol.name}`),
      info: (1 << 4) | 0,
      shndx: SHN_ABS,
      value: BigInt(symbol.crc),
    })
  }
  const symtab = new Uint8Array(symbols.length * 24)
  const symView = new DataView(symtab.buffer)
  symbols.forEach((symbol, index) => {
    symView.setUint32(index * 24, symbol.name, true)
    symView.setUint8(index * 24 + 4, symbol.info)
    symView.setUint16(index * 24 + 6, symbol.shndx, true)
    symView.setBigUint64(index * 24 + 8, symbol.value, true)
  })

  const versioned = def.imports.filter(
    (entry): entry is Exclude<typeof entry, string> => typeof entry !== 'string' && !!entry.crc,
  )
  const versions = new Uint8Array(versioned.length * 64)
  versioned.forEach((entry, index) => {
    new DataView(versions.buffer).setBigUint64(index * 64, BigInt(entry.crc as string), true)
    versions.set(encoder.encode(entry.name).subarray(0, 55), index * 64 + 8)
  })

  const sections: Section[] = [
    {
      name: '.modinfo',
      type: SHT_PROGBITS,
      flags: SHF_ALLOC,
      data: cstrings(info.map(([k, v]) => `${k}=${v}`)),
    },
    {
      name: '__ksymtab_strings',
      type: SHT_PROGBITS,
      flags: SHF_ALLOC,
      data: cstrings(def.exports.map((symbol) => symbol.name)),
    },
    { name: '__versions', type: SHT_PROGBITS, flags: SHF_ALLOC, data: versions, align: 8 },
    {
      name: '.symtab',
      type: SHT_SYMTAB,
      flags: 0,
      data: symtab,
      entsize: 24,
      align: 8,
      link: 5,
      info: 1,
    },
    { name: '.strtab', type: SHT_STRTAB, flags: 0, data: strtab.bytes() },
  ]
  return layout(sections, machine)
}

export const ELF_MACHINE_AARCH64 = 183
const SHT_PROGBITS = 1
const SHT_SYMTAB = 2
const SHT_STRTAB = 3
const SHF_ALLOC = 2
const SHN_ABS = 0xfff1

interface Section {
  name: string
  type: number
  flags: number
  data: Uint8Array
  entsize?: number
  align?: number
  link?: number
  info?: number
}

class StringTable {
  private text = '\0'
  add(value: string): number {
    const at = this.text.length
    this.text += `${value}\0`
    return at
  }
  bytes(): Uint8Array {
    return new TextEncoder().encode(this.text)
  }
}

/** ELF header, the sections' data one after another, `.shstrtab`, then the section header table. */
function layout(sections: Section[], machine: number): Uint8Array {
  const names = new StringTable()
  const nameOffsets = sections.map((section) => names.add(section.name))
  const shstrtabName = names.add('.shstrtab')
  const all: (Section & { nameOffset: number })[] = [
    ...sections.map((section, i) => ({ ...section, nameOffset: nameOffsets[i] as number })),
    {
      name: '.shstrtab',
      type: SHT_STRTAB,
      flags: 0,
      data: names.bytes(),
      nameOffset: shstrtabName,
    },
  ]
  let offset = 64
  const offsets = all.map((section) => {
    const align = section.align ?? 1
    offset = Math.ceil(offset / align) * align
    const at = offset
    offset += section.data.length
    return at
  })
  const shoff = Math.ceil(offset / 8) * 8
  const count = all.length + 1
  const out = new Uint8Array(shoff + count * 64)
  const view = new DataView(out.buffer)
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])
  view.setUint16(16, 1, true) // ET_REL
  view.setUint16(18, machine, true)
  view.setUint32(20, 1, true)
  view.setBigUint64(40, BigInt(shoff), true)
  view.setUint16(52, 64, true) // e_ehsize
  view.setUint16(58, 64, true) // e_shentsize
  view.setUint16(60, count, true)
  view.setUint16(62, count - 1, true) // e_shstrndx: .shstrtab is last
  all.forEach((section, i) => {
    out.set(section.data, offsets[i] as number)
    const at = shoff + (i + 1) * 64
    view.setUint32(at, section.nameOffset, true)
    view.setUint32(at + 4, section.type, true)
    view.setBigUint64(at + 8, BigInt(section.flags), true)
    view.setBigUint64(at + 24, BigInt(offsets[i] as number), true)
    view.setBigUint64(at + 32, BigInt(section.data.length), true)
    view.setUint32(at + 40, section.link ?? 0, true)
    view.setUint32(at + 44, section.info ?? 0, true)
    view.setBigUint64(at + 48, BigInt(section.align ?? 1), true)
    view.setBigUint64(at + 56, BigInt(section.entsize ?? 0), true)
  })
  return out
}
