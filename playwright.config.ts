import {
  defineConfig,
  type PlaywrightTestOptions,
  type PlaywrightWorkerOptions,
} from '@playwright/test'

// Debian's Chromium: Playwright's own browser download cannot run on these machines.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const WEB: Partial<PlaywrightTestOptions & PlaywrightWorkerOptions> = {
  browserName: 'chromium',
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    executablePath: chromium,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
}

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/support/global-setup.ts',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'web', testMatch: 'web/**/*.spec.ts', use: WEB },
    // Measured alone, after the smoke tier: timings must not share the two cores with other specs.
    { name: 'stress', testMatch: 'stress/**/*.spec.ts', dependencies: ['web'], use: WEB },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
})
