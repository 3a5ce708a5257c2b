import type { DeviceTree } from '../devicetree'
import { IncludeBudget, type IncludeResolver } from './includes'
import { DtsLexer } from './lexer'
import { DtsParser } from './parser'
import { preprocess } from './preprocessor'
import { resolveTree } from './resolve'

export { DtsSyntaxError, formatLocation, type SourceLocation } from './source-text'
export { filesResolver, type IncludeResolver } from './includes'

export interface ParseDtsOptions {
  /** Where `#include` and `/include/` look; without it, any include is an error. */
  resolver?: IncludeResolver
  /** Extra `-D NAME=VALUE` macros. */
  defines?: Record<string, string>
}

const NO_INCLUDES: IncludeResolver = { candidates: () => [], read: () => undefined }

/**
 * Devicetree source to a tree, as the kernel's build makes a `.dtb` from it: the C preprocessor,
 * then dtc. Throws a DtsSyntaxError with file:line:column for anything it cannot read.
 */
export function parseDts(file: string, text: string, options: ParseDtsOptions = {}): DeviceTree {
  const resolver = options.resolver ?? NO_INCLUDES
  const budget = new IncludeBudget()
  const source = preprocess(file, text, { resolver, defines: options.defines, budget })
  const parser = new DtsParser(new DtsLexer(source, resolver, budget))
  return resolveTree(parser.parse())
}
