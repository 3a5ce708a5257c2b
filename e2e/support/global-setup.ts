import { buildSync } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { BRIDGE_BUILD } from '../../src-main/hosts/web/page'
import { BRIDGE_BUNDLE, WEB_HOST_BUNDLE, WORKER_BUNDLE } from './web-host'

const ROOT = join(__dirname, '..', '..')

/**
 * The web host bundled once per run: every test starts its own host, and tsx transpiling the
 * whole main process at each start took seconds of the test's budget on a loaded machine. The
 * hosts of one run share a cache of derived kernel data (depmod over 4,000 modules), which each
 * fresh host otherwise made again at its first boot of a kernel; the run's own, filled here by
 * the hosts' own worker bundle (the cache holds what that code derived), removed after the run.
 */
export default async function globalSetup() {
  const cache = mkdtempSync(join(tmpdir(), 'modlab-e2e-cache-'))
  process.env.MODLAB_CACHE_DIR = cache
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  } as const
  // The boards' and the Lab's worker, which the host would otherwise load through tsx too.
  buildSync({
    ...common,
    entryPoints: [join(ROOT, 'src-main/hosts/board-worker.ts')],
    outfile: WORKER_BUNDLE,
  })
  // The page's bridge script, which the host would otherwise bundle at every start.
  buildSync({
    ...BRIDGE_BUILD,
    entryPoints: [join(ROOT, 'src-main/hosts/web/bridge-client.ts')],
    outfile: BRIDGE_BUNDLE,
  })
  buildSync({
    ...common,
    entryPoints: [join(ROOT, 'src-main/hosts/web/main.ts')],
    outfile: WEB_HOST_BUNDLE,
    define: {
      // The host finds its bridge script and modlab's package.json from its own folder.
      __dirname: JSON.stringify(join(ROOT, 'src-main/hosts/web')),
      'process.env.MODLAB_WORKER_BUNDLE': JSON.stringify(WORKER_BUNDLE),
      'process.env.MODLAB_BRIDGE_BUNDLE': JSON.stringify(BRIDGE_BUNDLE),
    },
  })
  await fillCache()
  return () => rmSync(cache, { recursive: true, force: true })
}

/** A boot of each built-in kernel on the Lab's worker: their module trees go to the cache. */
async function fillCache() {
  const worker = new Worker(WORKER_BUNDLE)
  const resources = join(ROOT, 'resources')
  try {
    for (const kernel of ['debian-6.1-arm64', 'debian-6.12-arm64']) {
      const request = { profile: 'qemu-virt', kernel, cmdline: '', seed: 0, faults: [], resources }
      await new Promise((resolve, reject) => {
        worker.once('message', (reply: { ok: boolean; error?: { message: string } }) =>
          reply.ok ? resolve(undefined) : reject(new Error(reply.error?.message)),
        )
        worker.once('error', reject)
        worker.postMessage({ kind: 'lab-boot', request })
      })
    }
  } finally {
    await worker.terminate()
  }
}
