import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const CACHE = join(__dirname, '..', '..', '.cache', 'kernels')

/**
 * Debian's real modules tree of a release, fetched by scripts/fetch-kernel-packages.sh, copied
 * (as hard links) under a fresh root and indexed there by Debian's own depmod. Undefined when the
 * tree was not fetched; in CI that is a failure, not a skip.
 */
export function realModulesRoot(release: string): string | undefined {
  const tree = join(CACHE, release, 'lib', 'modules', release)
  if (!existsSync(tree)) {
    if (process.env.CI) throw new Error(`${tree} is missing: .ci/run must fetch it`)
    return undefined
  }
  const root = mkdtempSync(join(tmpdir(), 'modlab-real-'))
  mkdirSync(join(root, 'lib', 'modules'), { recursive: true })
  execFileSync('cp', ['-al', tree, join(root, 'lib', 'modules', release)])
  execFileSync('depmod', ['-b', root, release])
  return root
}
