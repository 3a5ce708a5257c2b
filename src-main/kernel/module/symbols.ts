import type { ExportedSymbol } from '../../catalog/module-schema'

/** An exported symbol and who owns it: the kernel image (null) or a loaded module. */
export interface KernelSymbol<Owner> {
  name: string
  gpl: boolean
  crc?: string
  namespace?: string
  owner: Owner | null
}

/**
 * find_symbol(): the kernel's __ksymtab and __ksymtab_gpl, then every formed module's tables.
 * A GPL-only symbol is invisible to a caller that may not use it (gplok false).
 */
export class SymbolTable<Owner> {
  /** Per module, in load order: its EXPORT_SYMBOLs, then its EXPORT_SYMBOL_GPLs. */
  private readonly modules = new Map<Owner, Map<string, KernelSymbol<Owner>>>()

  /** `kernel`: the image's exports, shared by every boot of the same build (never changed). */
  constructor(private readonly kernel: ReadonlyMap<string, KernelSymbol<never>>) {}

  /** The kernel image's __ksymtab tables as one map. */
  static kernelExports(symbols: readonly ExportedSymbol[]): Map<string, KernelSymbol<never>> {
    const table = new Map<string, KernelSymbol<never>>()
    for (const symbol of symbols) table.set(symbol.name, { ...symbol, owner: null })
    return table
  }

  addModuleExports(owner: Owner, symbols: readonly ExportedSymbol[]): void {
    const table = new Map<string, KernelSymbol<Owner>>()
    for (const symbol of [...symbols.filter((s) => !s.gpl), ...symbols.filter((s) => s.gpl)])
      table.set(symbol.name, { ...symbol, owner })
    this.modules.set(owner, table)
  }

  removeModule(owner: Owner): void {
    this.modules.delete(owner)
  }

  find(name: string, gplok: boolean): KernelSymbol<Owner> | undefined {
    const fromKernel = this.kernel.get(name)
    if (fromKernel && (gplok || !fromKernel.gpl)) return fromKernel
    for (const table of this.modules.values()) {
      const symbol = table.get(name)
      if (symbol && (gplok || !symbol.gpl)) return symbol
    }
    return undefined
  }

  /** Whoever already exports the name, GPL-only or not (verify_exported_symbols). */
  owner(name: string): KernelSymbol<Owner> | undefined {
    return this.find(name, true)
  }
}
