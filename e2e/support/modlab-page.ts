import { expect, type Locator, type Page } from '@playwright/test'

/** The app as a user sees it: navigation, the profiles table, the sessions table. */
export class ModlabPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async open(view: 'lab' | 'profiles' | 'sessions' = 'profiles') {
    await this.page.goto(`${this.baseUrl}#/${view}`)
    if (view === 'lab')
      await expect(this.page.getByLabel('Kernel command line')).not.toHaveValue('')
    else await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible()
  }

  async navigate(title: 'Lab' | 'Profiles' | 'Sessions') {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: title })
      .click()
  }

  profileRow(id: string): Locator {
    return this.page.locator(`tr[data-profile="${id}"]`)
  }

  sessionRows(): Locator {
    return this.page.getByTestId('sessions-table').locator('tbody tr')
  }

  sessionRow(name: string): Locator {
    return this.sessionRows().filter({
      has: this.page.locator('.name', { hasText: new RegExp(`^${escape(name)}$`) }),
    })
  }

  async sessionNames(): Promise<string[]> {
    return this.sessionRows().locator('.name').allTextContents()
  }

  async createSession(name: string) {
    await this.page.getByLabel('New session name').fill(name)
    await this.page.getByRole('button', { name: 'Create session' }).click()
    await expect(this.sessionRow(name)).toBeVisible()
  }

  /** The row of a session, pinned by its id so that it stays found while its name is being edited. */
  async pinnedSessionRow(name: string): Promise<Locator> {
    const id = await this.sessionRow(name).getAttribute('data-session')
    return this.page.locator(`tr[data-session="${id}"]`)
  }

  async renameSession(from: string, to: string) {
    const row = await this.pinnedSessionRow(from)
    await row.getByRole('button', { name: 'Rename' }).click()
    await row.getByLabel('New name').fill(to)
    await row.getByRole('button', { name: 'Save' }).click()
    await expect(this.sessionRow(to)).toBeVisible()
  }

  async deleteSession(name: string) {
    const row = this.sessionRow(name)
    await row.getByRole('button', { name: 'Delete' }).click()
    await row.getByRole('button', { name: 'Delete' }).click()
    await expect(this.sessionRow(name)).toHaveCount(0)
  }

  /** Makes sure boots have a session to go into: the current one, or a new one from the sidebar. */
  async ensureSession() {
    const current = this.page.getByTestId('current-session')
    await expect(current).toHaveAttribute('data-loaded', 'true')
    if ((await current.locator('.name').count()) > 0) return
    await current.getByRole('button', { name: 'New session' }).click()
    await expect(current.locator('.name')).toHaveText(/^Session \d{4}-\d\d-\d\d \d\d:\d\d$/)
  }

  /** Boots the selected profile in the Lab at the given pace and waits for the boot to finish. */
  async boot(options: { pace?: string; faults?: string; cmdline?: string; session?: 'new' } = {}) {
    if (options.session === undefined) await this.ensureSession()
    await this.page.getByLabel('Pace').selectOption(options.pace ?? 'instant')
    if (options.faults !== undefined)
      await this.page.getByLabel('Injected faults').fill(options.faults)
    if (options.cmdline !== undefined)
      await this.page.getByLabel('Kernel command line').fill(options.cmdline)
    await this.page.getByRole('button', { name: /^(Boot|Reboot)$/ }).click()
    // The kernel boots on the host's worker; what the Lab then shows is for the test to check.
    await expect(this.page.locator('[data-state="starting"]')).toHaveCount(0, { timeout: 25_000 })
  }

  consoleLines(): Locator {
    return this.page.getByTestId('dmesg').locator('.line')
  }

  async lineCount(): Promise<number> {
    const text = (await this.page.getByTestId('line-count').textContent()) ?? ''
    return Number(/^(\d+)/.exec(text)?.[1] ?? 0)
  }

  errorBanner(): Locator {
    return this.page.getByRole('alert')
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
