#!/usr/bin/env node
// `npm test`: set-up (scripts/test-setup.sh), typecheck, lint, unit tests, build, end-to-end
// tests. Every step runs even when an earlier one failed (but e2e needs the build), and the last
// line adds up every runner:
// `N passed, N failed, N skipped`. Typecheck, lint and build count as one check each.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const reports = join(root, '.test-reports')
const bin = (name) => join(root, 'node_modules', '.bin', name)
mkdirSync(reports, { recursive: true })

const tally = []

function run(title, command, args, env = {}) {
  console.log(
    `\n=== ${title}: ${[command, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`,
  )
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  })
  return result.status === 0
}

function check(title, command, args) {
  const ok = run(title, command, args)
  tally.push({ title, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 })
  return ok
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

// Chromium, dtc, kmod, cpp, busybox and the corpus data; MODLAB_TEST_SETUP=0 leaves the machine as it is.
if (process.env.MODLAB_TEST_SETUP !== '0') run('set-up', 'bash', ['scripts/test-setup.sh'])

check('typecheck', 'npm', ['run', '-s', 'typecheck'])
check('lint', 'npm', ['run', '-s', 'lint'])

const vitestReport = join(reports, 'vitest.json')
rmSync(vitestReport, { force: true })
const unitOk = run('unit tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
])
const vitest = readJson(vitestReport)
tally.push(
  vitest
    ? {
        title: 'unit tests',
        passed: vitest.numPassedTests,
        failed: vitest.numFailedTests + (unitOk || vitest.numFailedTests > 0 ? 0 : 1),
        skipped: vitest.numPendingTests + vitest.numTodoTests,
      }
    : { title: 'unit tests (no report)', passed: 0, failed: 1, skipped: 0 },
)

if (check('build', bin('electron-vite'), ['build'])) {
  const playwrightReport = join(reports, 'playwright.json')
  rmSync(playwrightReport, { force: true })
  const e2eOk = run(
    'end-to-end tests (playwright)',
    bin('playwright'),
    ['test', '--reporter=list,json'],
    {
      PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport,
    },
  )
  const stats = existsSync(playwrightReport) ? readJson(playwrightReport)?.stats : undefined
  tally.push(
    stats
      ? {
          title: 'end-to-end tests',
          passed: stats.expected + stats.flaky,
          failed: stats.unexpected + (e2eOk || stats.unexpected > 0 ? 0 : 1),
          skipped: stats.skipped,
        }
      : { title: 'end-to-end tests (no report)', passed: 0, failed: 1, skipped: 0 },
  )
} else {
  tally.push({
    title: 'end-to-end tests (not run: the build failed)',
    passed: 0,
    failed: 1,
    skipped: 0,
  })
}

const sum = (key) => tally.reduce((total, entry) => total + entry[key], 0)
console.log('\n=== summary')
for (const entry of tally) {
  console.log(
    `${entry.title}: ${entry.passed} passed, ${entry.failed} failed, ${entry.skipped} skipped`,
  )
}
console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`)
process.exitCode = sum('failed') > 0 ? 1 : 0
