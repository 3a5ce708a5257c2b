import { buildSync } from 'esbuild'
import { join } from 'node:path'
import { WEB_HOST_BUNDLE } from './web-host'

const ROOT = join(__dirname, '..', '..')

/**
 * The web host bundled once per run: every test starts its own host, and tsx transpiling the
 * whole main process at each start took seconds of the test's budget on a loaded machine.
 */
export default function globalSetup() {
  buildSync({
    entryPoints: [join(ROOT, 'src-main/hosts/web/main.ts')],
    outfile: WEB_HOST_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    // The host finds its bridge script and modlab's package.json from its own folder.
    define: { __dirname: JSON.stringify(join(ROOT, 'src-main/hosts/web')) },
  })
}
