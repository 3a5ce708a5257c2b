import { test as base, expect } from '@playwright/test'
import { ModlabPage } from './modlab-page'
import { startWebHost, type RunningWebHost } from './web-host'

interface Fixtures {
  webHost: RunningWebHost
  modlab: ModlabPage
  /** Page errors and console errors seen during the test; the test fails if any remain. */
  pageProblems: string[]
}

export const test = base.extend<Fixtures>({
  // Each test's own host (its own data directory); starting and stopping it is setup, timed on
  // its own rather than out of the test's 30 s, which is for what the app does.
  webHost: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const host = await startWebHost()
      await use(host)
      await host.stop()
    },
    { timeout: 60_000 },
  ],
  pageProblems: async ({ page }, use) => {
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error')
        problems.push(`console error: ${message.text()} (${message.location().url})`)
    })
    await use(problems)
    expect(problems, 'the page reported errors').toEqual([])
  },
  modlab: async ({ page, webHost, pageProblems }, use) => {
    void pageProblems
    await use(new ModlabPage(page, webHost.url))
  },
})

export { expect }
