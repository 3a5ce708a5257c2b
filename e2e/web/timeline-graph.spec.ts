import { join } from 'node:path'
import { LabViews } from '../support/lab-views'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')
/** The initcalls lane's first row, in the canvas's pixels (timeline-draw.ts: axis 22, padding 6). */
const INITCALL_Y = 33

for (const scheme of ['light', 'dark'] as const) {
  test(`the boot timeline zooms, tells what is under the cursor and leads to the dmesg line (${scheme})`, async ({
    modlab,
    page,
  }) => {
    test.setTimeout(60_000)
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.emulateMedia({ colorScheme: scheme })
    const views = new LabViews(page)
    await modlab.open('lab')
    await modlab.boot({ cmdline: 'console=ttyAMA0 initcall_debug' })
    await expect(page.getByTestId('boot-status')).toContainText('running')
    await views.show('Timeline')
    await expect(page.getByTestId('timeline-count')).toContainText('in the boot')
    await expect(page.getByTestId('timeline-count')).toContainText(/^\s*(\d+) of \1 events/)

    // Zoom with the button and the wheel, pan by dragging: the window on screen follows.
    const fitted = await views.span().textContent()
    await page.getByRole('button', { name: 'Zoom in' }).click()
    await expect(views.span()).not.toHaveText(fitted ?? '')
    const zoomed = await views.span().textContent()
    const box = await views.canvas().boundingBox()
    if (!box) throw new Error('no timeline on screen')
    await page.mouse.move(box.x + box.width * 0.7, box.y + 60)
    await page.mouse.wheel(0, -400)
    await expect(views.span()).not.toHaveText(zoomed ?? '')
    const wheeled = await views.span().textContent()
    await page.mouse.move(box.x + 600, box.y + 100)
    await page.mouse.down()
    await page.mouse.move(box.x + 400, box.y + 100, { steps: 5 })
    await page.mouse.up()
    await expect(views.span()).not.toHaveText(wheeled ?? '')
    await page.getByRole('button', { name: 'Fit' }).click()
    await expect(views.span()).toHaveText(fitted ?? '')

    // Hover an initcall: its tooltip names it; a click selects it and highlights its `calling` line.
    const at = await views.hoverEventInLane(INITCALL_Y, 100)
    await expect(views.tooltip()).toContainText('initcall')
    const fn = (await views.tooltip().locator('strong').textContent())?.trim() ?? ''
    expect(fn).not.toBe('')
    await page.screenshot({ path: join(SCREENS_DIR, `lab-timeline-${scheme}.png`) })
    await views.clickCanvas(at)
    await expect(views.selected()).toContainText(fn)
    const highlighted = page.getByTestId('dmesg').locator('.line.highlight')
    await expect(highlighted).toHaveCount(1)
    await expect(highlighted).toContainText(`calling  ${fn}+`)

    // And back: a console line selects the event that printed it (pinned by its seq, since the
    // console's rows are recycled as it scrolls).
    const seq = await page
      .getByTestId('dmesg')
      .locator('.line', { hasText: /calling {2}\S+\+/ })
      .filter({ hasNotText: `calling  ${fn}+` })
      .first()
      .getAttribute('data-seq')
    const other = page.getByTestId('dmesg').locator(`.line[data-seq="${seq}"]`)
    const otherFn = /calling {2}(\S+)\+/.exec((await other.textContent()) ?? '')?.[1] ?? ''
    await other.click()
    await expect(views.selected()).toContainText(otherFn)
  })

  test(`the supplier graph of db845c renders, focuses on a device and opens it (${scheme})`, async ({
    modlab,
    page,
  }) => {
    test.setTimeout(60_000)
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.emulateMedia({ colorScheme: scheme })
    const views = new LabViews(page)
    await modlab.open('lab')
    await page.getByLabel('Device profile').selectOption('db845c')
    await page.getByLabel('Kernel profile').selectOption('debian-6.12-arm64')
    await modlab.boot()
    await expect(page.getByTestId('boot-status')).toContainText('running', { timeout: 30_000 })
    await views.show('Supplier graph')
    // By default, what keeps devices from binding: the deferred ones, their suppliers and the
    // fw_devlink cycles (db845c ends with nothing deferred; the UFS controller and PHY form one).
    await expect(views.graphNode('1d84000.ufshc')).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('graph-count')).toContainText('cycle')
    const waiting = await views.graphNodes().count()
    await page.screenshot({ path: join(SCREENS_DIR, `lab-graph-waiting-${scheme}.png`) })

    await page.getByLabel('Which devices').selectOption('all')
    await expect
      .poll(() => views.graphNodes().count(), { timeout: 20_000 })
      .toBeGreaterThan(waiting)
    const whole = await views.graphNodes().count()
    await expect(page.getByTestId('graph-count')).not.toContainText('laying out')
    await page.screenshot({ path: join(SCREENS_DIR, `lab-graph-${scheme}.png`) })

    await views.focusGraphOn('1d84000.ufshc')
    await expect(views.graphNode('1d87000.phy')).toBeVisible({ timeout: 20_000 })
    await expect.poll(() => views.graphNodes().count()).toBeLessThan(whole)
    await expect(views.graphNode('1d84000.ufshc')).toHaveClass(/cycle/)
    await page.screenshot({ path: join(SCREENS_DIR, `lab-graph-focus-${scheme}.png`) })

    await views.graphNode('1d87000.phy').click()
    await expect(page.getByTestId('device-details').locator('h3')).toHaveText('1d87000.phy')

    // The same boot's timeline: deferrals wait until their retries, the timeout ends the rest.
    await views.show('Timeline')
    await expect(page.getByTestId('timeline-count')).toContainText(/^\s*(\d+) of \1 events/)
    await page.screenshot({ path: join(SCREENS_DIR, `lab-timeline-db845c-${scheme}.png`) })
  })
}
