import { expect, type Locator, type Page } from '@playwright/test'

/** The Lab's timeline and supplier graph, as a user reaches them: tabs over the console. */
export class LabViews {
  constructor(readonly page: Page) {}

  async show(view: 'Console' | 'Timeline' | 'Supplier graph') {
    const tab = this.page
      .getByRole('tablist', { name: 'Lab view' })
      .getByRole('tab', { name: view })
    await tab.click()
    await expect(tab).toHaveAttribute('aria-selected', 'true')
  }

  canvas(): Locator {
    return this.page.getByTestId('timeline-canvas')
  }

  span(): Locator {
    return this.page.getByTestId('timeline-span')
  }

  tooltip(): Locator {
    return this.page.getByTestId('timeline-tooltip')
  }

  selected(): Locator {
    return this.page.getByTestId('timeline-selected')
  }

  /** Moves along a lane until an event's tooltip shows; returns where, in the canvas's pixels. */
  async hoverEventInLane(laneY: number, fromX = 100): Promise<{ x: number; y: number }> {
    const box = await this.canvas().boundingBox()
    if (!box) throw new Error('the timeline is not on screen')
    for (let x = fromX; x < box.width - 4; x += 3) {
      await this.page.mouse.move(box.x + x, box.y + laneY)
      if (await this.tooltip().isVisible()) return { x, y: laneY }
    }
    throw new Error(`no event along y=${laneY}`)
  }

  async clickCanvas(at: { x: number; y: number }) {
    const box = await this.canvas().boundingBox()
    if (!box) throw new Error('the timeline is not on screen')
    await this.page.mouse.click(box.x + at.x, box.y + at.y)
  }

  graphNodes(): Locator {
    return this.page.getByTestId('supplier-graph').locator('[data-node]')
  }

  graphNode(id: string): Locator {
    return this.page.getByTestId('supplier-graph').locator(`[data-node="${id}"]`)
  }

  async focusGraphOn(device: string) {
    await this.page.getByLabel('Focus on a device').fill(device)
    await this.page.getByRole('button', { name: 'Focus', exact: true }).click()
  }
}
