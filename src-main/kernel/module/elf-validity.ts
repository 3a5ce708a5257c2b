interface ElfLayout {
  shoff: number
  shnum: number
  shstrndx: number
}

const ELF_HEADER_SIZE = 64
const ELF_SECTION_HEADER_SIZE = 64

/**
 * elf_validity_ehdr() (kernel/module/main.c:1724) and the section-table checks of
 * elf_validity_cache_sechdrs() (main.c:1768): a message, or the layout.
 */
export function validateElf(bytes: Uint8Array): ElfLayout | string {
  if (bytes.length < ELF_HEADER_SIZE) return `Invalid ELF header len ${bytes.length}`
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return 'Invalid ELF header magic: != \x7fELF'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = view.getUint16(16, true)
  if (type !== 1) return `Invalid ELF header type: ${type} != 1`
  const machine = view.getUint16(18, true)
  if (machine !== 183) return `Invalid architecture in ELF header: ${machine}`
  if (view.getUint16(58, true) !== ELF_SECTION_HEADER_SIZE) return 'Invalid ELF section header size'
  const shoff = Number(view.getBigUint64(40, true))
  const shnum = view.getUint16(60, true)
  if (shoff >= bytes.length || shnum * ELF_SECTION_HEADER_SIZE > bytes.length - shoff)
    return 'Invalid ELF section header overflow'
  return { shoff, shnum, shstrndx: view.getUint16(62, true) }
}

export /** The `name=` entry of the `.modinfo` section (get_modinfo(info, "name"), kernel/module/main.c:1093). */
function modinfoName(bytes: Uint8Array, elf: ElfLayout): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const section = (index: number) => {
    const at = elf.shoff + index * ELF_SECTION_HEADER_SIZE
    return {
      name: view.getUint32(at, true),
      offset: Number(view.getBigUint64(at + 24, true)),
      size: Number(view.getBigUint64(at + 32, true)),
    }
  }
  const decoder = new TextDecoder('latin1')
  const strings = section(elf.shstrndx)
  for (let index = 1; index < elf.shnum; index++) {
    const header = section(index)
    const nameAt = strings.offset + header.name
    const sectionName = decoder.decode(bytes.subarray(nameAt, bytes.indexOf(0, nameAt)))
    if (sectionName !== '.modinfo') continue
    const text = decoder.decode(bytes.subarray(header.offset, header.offset + header.size))
    return text
      .split('\0')
      .find((entry) => entry.startsWith('name='))
      ?.slice('name='.length)
  }
  return undefined
}
