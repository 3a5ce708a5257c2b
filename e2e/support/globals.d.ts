import type { ModlabApi } from '../../src-main/api/contract'

// Functions passed to page.evaluate run in the page, where the host defined window.modlab.
declare global {
  interface Window {
    readonly modlab: ModlabApi
  }
}
