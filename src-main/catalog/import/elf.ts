/** What is wrong with a file that should be a kernel module, in the user's words. */
export class KoFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KoFormatError'
  }
}

export interface ElfSection {
  index: number
  name: string
  type: number
  flags: number
  size: number
  link: number
  /** sh_info: for a RELA section, the section its relocations apply to. */
  info: number
  align: number
  data: Uint8Array
}

export interface ElfSymbol {
  name: string
  /** st_name: 0 for a symbol without a name. */
  nameOffset: number
  bind: number
  shndx: number
  value: bigint
}

export const SHT_NOBITS = 8
export const SHT_PROGBITS = 1
export const SHN_UNDEF = 0
export const STB_WEAK = 2
const EM_AARCH64 = 183
const ET_REL = 1

const MACHINES: Record<number, string> = {
  3: 'i386',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 's390',
  40: 'ARM',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
}

const decoder = new TextDecoder()

/** A NUL-terminated string at `offset` of `bytes`. */
export function cString(bytes: Uint8Array, offset: number): string {
  const end = bytes.indexOf(0, offset)
  return decoder.decode(bytes.subarray(offset, end < 0 ? bytes.length : end))
}

/** NUL-separated strings (.modinfo, __ksymtab_strings), empty ones dropped. */
export function cStrings(data: Uint8Array): string[] {
  return decoder.decode(data).split('\0').filter(Boolean)
}

/**
 * An ELF64 little-endian relocatable object for AArch64, as load_module()'s elf_validity_check()
 * wants it (kernel/module/main.c): anything else is refused with what it is instead.
 */
export class ElfObject {
  readonly sections: ElfSection[]
  private readonly byName = new Map<string, ElfSection>()

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 64) {
      if (bytes.length >= 4 && isElfMagic(bytes)) throw new KoFormatError('truncated ELF header')
      throw new KoFormatError(bytes.length === 0 ? 'empty file' : 'not an ELF file')
    }
    if (!isElfMagic(bytes)) throw new KoFormatError('not an ELF file')
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (bytes[4] !== 2) throw new KoFormatError('a 32-bit ELF file, not a 64-bit arm64 module')
    if (bytes[5] !== 1) throw new KoFormatError('a big-endian ELF file, not an arm64 module')
    const machine = view.getUint16(18, true)
    if (machine !== EM_AARCH64)
      throw new KoFormatError(
        `built for ${MACHINES[machine] ?? `machine ${machine}`}, not arm64 (AArch64)`,
      )
    if (view.getUint16(16, true) !== ET_REL)
      throw new KoFormatError('an ELF executable or shared object, not a relocatable module')
    const shoff = Number(view.getBigUint64(40, true))
    const count = view.getUint16(60, true)
    const shstrndx = view.getUint16(62, true)
    if (count === 0 || shoff + count * 64 > bytes.length)
      throw new KoFormatError('truncated: the section headers lie past the end of the file')
    const raw = []
    for (let i = 0; i < count; i++) {
      const at = shoff + i * 64
      const type = view.getUint32(at + 4, true)
      const offset = Number(view.getBigUint64(at + 24, true))
      const size = Number(view.getBigUint64(at + 32, true))
      if (type !== SHT_NOBITS && offset + size > bytes.length)
        throw new KoFormatError(`truncated: section ${i} lies past the end of the file`)
      raw.push({
        nameOffset: view.getUint32(at, true),
        type,
        flags: Number(view.getBigUint64(at + 8, true)),
        offset,
        size,
        link: view.getUint32(at + 40, true),
        info: view.getUint32(at + 44, true),
        align: Number(view.getBigUint64(at + 48, true)),
      })
    }
    const names = raw[shstrndx]
    if (!names) throw new KoFormatError('no section name table')
    const nameBytes = bytes.subarray(names.offset, names.offset + names.size)
    this.sections = raw.map((section, index) => ({
      index,
      name: cString(nameBytes, section.nameOffset),
      type: section.type,
      flags: section.flags,
      size: section.size,
      link: section.link,
      info: section.info,
      align: section.align,
      data:
        section.type === SHT_NOBITS
          ? new Uint8Array()
          : bytes.subarray(section.offset, section.offset + section.size),
    }))
    for (const section of this.sections) {
      if (!this.byName.has(section.name)) this.byName.set(section.name, section)
    }
  }

  section(name: string): ElfSection | undefined {
    return this.byName.get(name)
  }

  /** .symtab's entries after the null symbol. */
  symbols(): ElfSymbol[] {
    const symtab = this.sections.find((section) => section.type === 2)
    if (!symtab) return []
    const strtab = this.sections[symtab.link]?.data ?? new Uint8Array()
    const data = symtab.data
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
    const symbols: ElfSymbol[] = []
    for (let at = 24; at + 24 <= data.length; at += 24) {
      symbols.push({
        nameOffset: view.getUint32(at, true),
        name: cString(strtab, view.getUint32(at, true)),
        bind: view.getUint8(at + 4) >> 4,
        shndx: view.getUint16(at + 6, true),
        value: view.getBigUint64(at + 8, true),
      })
    }
    return symbols
  }
}

function isElfMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46
}
