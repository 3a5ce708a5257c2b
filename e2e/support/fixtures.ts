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
  // eslint-disable-next-line no-empty-pattern
  webHost: async ({}, use) => {
    const host = await startWebHost()
    await use(host)
    await host.stop()
  },
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
