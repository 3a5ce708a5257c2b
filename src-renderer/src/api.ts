import type { ApiErrorShape, ModlabApi } from '@api/contract'

declare global {
  interface Window {
    readonly modlab: ModlabApi
  }
}

/** The bridge the host defined before the app loaded: the preload in Electron, the injected script on the web. */
export const modlab: ModlabApi = window.modlab

/** A request's failure as one readable line: the host's `{code, message}` or anything else thrown. */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as ApiErrorShape).message)
  }
  return String(error)
}
