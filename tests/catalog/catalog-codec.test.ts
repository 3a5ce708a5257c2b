import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CATALOG_FORMAT,
  CatalogFormatError,
  decodeCatalog,
  encodeCatalog,
} from '../../src-main/catalog/catalog-codec'
import { readCatalogFiles } from '../../src-main/catalog/catalog-file'
import { KernelCatalog } from '../../src-main/catalog/kernel-catalog-schema'
import type { ModuleInput } from '../../src-main/catalog/module-schema'

const KERNELS = join(__dirname, '..', '..', 'resources', 'kernels')

/** A decoded catalog as plain data: every lazy field read, nothing undefined. */
const plain = (catalog: KernelCatalog): KernelCatalog =>
  JSON.parse(JSON.stringify(catalog)) as KernelCatalog

/** JSON with sorted keys: two catalogs are the same when their texts are (toEqual is slow on 20 MB). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, entry: unknown) =>
    entry && typeof entry === 'object' && !Array.isArray(entry)
      ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : 1)))
      : entry,
  )

/** Both parts as their files hold them. */
const stored = (catalog: KernelCatalog) =>
  JSON.parse(JSON.stringify(encodeCatalog(catalog))) as {
    catalog: Record<string, unknown>
    lists: { modules: Record<string, unknown>[] } & Record<string, unknown>
  }

const roundTrip = (catalog: KernelCatalog) => {
  const { catalog: main, lists } = stored(catalog)
  return decodeCatalog(main, () => lists)
}

const module = (fields: Partial<ModuleInput> & { name: string }): ModuleInput => ({
  kconfig: `CONFIG_${fields.name.toUpperCase()}`,
  path: `kernel/drivers/misc/${fields.name}.ko`,
  sizes: { text: 4096 },
  ...fields,
})

const edgeCases = KernelCatalog.parse({
  provenance: { generator: 'test', packages: [] },
  release: '6.12.0-test',
  config: { CONFIG_LIB: 'm', CONFIG_USER: 'm' },
  kconfig: { CONFIG_LIB: { type: 'tristate', depends: 'A && "b\\c"', prompt: true } },
  exports: [
    { name: 'printk', gpl: false, crc: '0x1' },
    { name: 'nocrc', gpl: true },
    { name: 'dma_buf_get', gpl: true, crc: '0xabc', namespace: 'DMA_BUF' },
  ],
  modules: [
    module({
      name: 'lib',
      info: [
        ['license', 'GPL'],
        ['parm', 'mode:a line\nand another, with a back\\slash and key=value'],
        ['description', ''],
        ['vermagic', '6.12.0-test SMP'],
      ],
      complete: true,
      params: [
        { name: 'mode', type: 'charp', description: 'one: two\nthree \\n' },
        { name: 'debug', type: 'bool', description: '' },
      ],
      exports: [
        { name: 'lib_do', gpl: true, crc: '0xdeadbeef', namespace: 'LIB' },
        { name: 'lib_plain', gpl: false },
        { name: 'lib.odd$name', gpl: false, crc: '0x0' },
      ],
      signature: '30AB',
      vermagic: '6.12.0-test SMP',
      hasExit: false,
      init: { fn: 'lib_init', size: 64 },
      sizes: { text: 1, rodata: 2, data: 3, roAfterInit: 4, initText: 5, initData: 6 },
    }),
    module({
      name: 'user',
      imports: [
        'printk',
        'lib_do',
        { name: 'lib_plain', weak: true },
        { name: 'printk_stale', crc: '0x2', weak: false },
        'nocrc',
        { name: 'nocrc', weak: true },
      ],
      importNamespaces: ['LIB'],
      tableAliases: ['acpi*:USR0001:*'],
      intree: false,
      signed: false,
      hasInit: false,
    }),
  ],
  builtin: [module({ name: 'core', info: [['alias', 'of:N*T*Cfoo']] })],
  drivers: [],
})

describe('catalog format', () => {
  it('gives back every field of every module, with lists decoded when first read', () => {
    const decoded = roundTrip(edgeCases)
    expect(plain(decoded)).toEqual(plain(edgeCases))
    expect(decoded.modules[0]?.vermagic).toBe('6.12.0-test SMP')
    expect(decoded.modules[1]?.imports).toEqual(edgeCases.modules[1]?.imports)
  })

  it('lets a decoded field be replaced', () => {
    const [lib] = roundTrip(edgeCases).modules
    if (!lib) throw new Error('no module')
    lib.info = [['license', 'MIT']]
    expect(lib.info).toEqual([['license', 'MIT']])
    expect({ ...lib }.info).toEqual([['license', 'MIT']])
  })

  it('reads the lists only when one is first needed', () => {
    const { catalog: main, lists } = stored(edgeCases)
    let reads = 0
    const decoded = decodeCatalog(main, () => (reads++, lists))
    expect(decoded.modules.map((m) => [m.name, m.path, m.sizes.text])).toHaveLength(2)
    expect(reads).toBe(0)
    expect(decoded.modules[1]?.imports[0]).toBe('printk')
    expect(decoded.kconfig.CONFIG_LIB?.type).toBe('tristate')
    expect(reads).toBe(1)
  })

  it('refuses another format by name, and lists of another shape when they are read', () => {
    const { catalog: main, lists } = stored(edgeCases)
    expect(() => decodeCatalog({ ...main, format: 3 }, () => lists)).toThrow(
      new CatalogFormatError(
        `catalog format 3 is not this modlab's format ${CATALOG_FORMAT}: generate it again (scripts/import-kernel.ts, or modlab kernel import)`,
      ),
    )
    expect(() => decodeCatalog(main)).toThrow('its lists (catalog-lists.json.gz) are missing')
    const odd = { ...lists, modules: [{ ...lists.modules[0], info: 7 }, lists.modules[1]] }
    const decoded = decodeCatalog(main, () => odd)
    expect(() => decoded.modules[0]?.info).toThrow(
      "catalog-lists.json.gz: a module's imports, info, params or exports is neither a list nor a string",
    )
    const short = decodeCatalog(main, () => ({ ...lists, modules: [lists.modules[0]] }))
    expect(() => short.exports).toThrow(
      'catalog-lists.json.gz: not one entry per module of the catalog',
    )
  })

  // The real catalogs as generated. Format 4 (one file) and 5 (two) came with both catalogs regenerated from the same
  // packages; decoded, they were exactly what format 3's files decoded to at 9534619 (these
  // digests of that decoding). A catalog regenerated from other packages or by a changed
  // importer describes another build: check its diff, then record its digest here. Format 6: the
  // AMBA drivers moved from foreignDrivers to drivers with their amba_id tables (amba-proxy, with
  // none, left), and 6.12's mtk_vcodec_{dec,enc} are named by MTK_VCODEC_{DEC,ENC}_NAME, which the
  // scanner now finds through a header's header; nothing else changed. Then the scanner read
  // SPMI and I2C drivers (moved from foreignDrivers to drivers), platform and I2C drivers'
  // device-id table names (`ids`: drivers matching by id alone joined), the SPMI controllers and
  // I2C adapters drivers register and the MFD cells they add, and the CLK_OF_DECLARE_DRIVER inits
  // gained `registration.driver`; the modules and lists are unchanged. Then drivers registering
  // an I2C adapter through a helper of drivers/i2c (i2c_dw_probe()) or I2C mux channels
  // (i2c_mux_add_adapter()) gained `registersController`, and those whose plain
  // of_platform_populate() no depopulate undoes gained `keepsChildren`, and MFD cells their own
  // `.id` (wm8994's two `wm8994-ldo`); nothing else changed. Then platform drivers with neither
  // an OF nor an id table, registered by an initcall the scan finds, joined (platform_match()
  // binds them by their name, platform.c:1329): 137 in 6.12 (exynos-clkout among them), 121 in
  // 6.1; nothing else changed.
  const FORMAT_3_DECODED: Record<string, string> = {
    'debian-6.12-arm64': '4f25ddcc8db4c67622a37398fcd31c02c983688a4d330de3831fe9d11e19dde6',
    'debian-6.1-arm64': 'ddca6da0d39cbd1b0ad6b267f8e37502c24809e86648dc9f66357a2cc1720a41',
  }
  it.each(Object.keys(FORMAT_3_DECODED))(
    'loses nothing of %s',
    (kernel) => {
      const decoded = plain(readCatalogFiles(join(KERNELS, kernel)))
      const text = canonical(decoded)
      expect(createHash('sha256').update(text).digest('hex')).toBe(FORMAT_3_DECODED[kernel])
      expect(canonical(KernelCatalog.parse(decoded))).toBe(text)
      expect(canonical(roundTrip(decoded))).toBe(text)
    },
    60_000,
  )
})
