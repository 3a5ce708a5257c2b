#!/usr/bin/env node
// Builds a second copy of better-sqlite3 for Electron's ABI in .electron-native/, so that the
// desktop app can load it (as `nativeBinding`) while Node (CLI, web host, tests) keeps using the
// build in node_modules. Runs before `npm start` and `npm run dist`; needs the network once, to
// fetch Electron's headers. Skips when the copy already matches the installed Electron.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const electronVersion = require('electron/package.json').version
const outDir = join(root, '.electron-native')
const copy = join(outDir, 'better-sqlite3')
const stamp = join(outDir, 'electron-version')
const addon = join(copy, 'build', 'Release', 'better_sqlite3.node')

if (
  existsSync(addon) &&
  existsSync(stamp) &&
  readFileSync(stamp, 'utf8').trim() === electronVersion
) {
  console.log(`better-sqlite3 for Electron ${electronVersion} is ready in ${outDir}`)
  process.exit(0)
}

function nodeGyp() {
  // npm ships node-gyp; when run through npm, npm_execpath points into npm's own folder.
  const fromNpm =
    process.env.npm_execpath &&
    join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm]
  return ['node-gyp']
}

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
cpSync(dirname(require.resolve('better-sqlite3/package.json')), copy, {
  recursive: true,
  filter: (source) => !source.includes(`${join('better-sqlite3', 'build')}`),
})

// A global npm `nodedir` setting would make node-gyp build against Node's headers instead.
const env = { ...process.env }
for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key]
const [command, ...prefix] = nodeGyp()
console.log(
  `building better-sqlite3 for Electron ${electronVersion} (ABI of Electron, not Node ${process.version})...`,
)
try {
  execFileSync(
    command,
    [
      ...prefix,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: copy, env, stdio: 'inherit' },
  )
} catch {
  rmSync(outDir, { recursive: true, force: true })
  console.error(
    `\nmodlab: could not build better-sqlite3 for Electron ${electronVersion}.\n` +
      'It needs the network once, to download Electron headers, and a C++ toolchain (python3, make, g++).\n' +
      'The web host (npm run web) and the CLI (npm run modlab) do not need it.',
  )
  process.exit(1)
}
writeFileSync(stamp, electronVersion + '\n')
console.log(`better-sqlite3 for Electron ${electronVersion} built in ${outDir}`)
