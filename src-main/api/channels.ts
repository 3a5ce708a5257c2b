/**
 * Every request the renderer may make, as `domain:verb`. The Electron preload and the web
 * bridge build `window.modlab` from this list; it carries no runtime dependencies so that a
 * sandboxed preload can bundle it.
 */
export const API_CHANNELS = [
  'app:info',
  'profiles:list',
  'profiles:import',
  'profiles:delete',
  'profiles:export',
  'profiles:validate',
  'profiles:tree',
  'profiles:create',
  'profiles:save',
  'kernels:list',
  'kernels:import',
  'kernels:delete',
  'lab:boot',
  'lab:records',
  'lab:watch',
  'lab:devices',
  'lab:shell',
  'lab:modules',
  'lab:timeline',
  'lab:graph',
  'lab:run',
  'sessions:list',
  'sessions:create',
  'sessions:rename',
  'sessions:delete',
  'sessions:events',
  'sessions:replay',
  'sessions:diff',
  'sessions:export',
  'sessions:import',
  'whatif:run',
  'series:list',
] as const

export type ApiChannel = (typeof API_CHANNELS)[number]

export function isApiChannel(value: unknown): value is ApiChannel {
  return typeof value === 'string' && (API_CHANNELS as readonly string[]).includes(value)
}

/**
 * What main pushes to the renderer unasked, as `domain:what`: batches, at most about 60 a second
 * (never one message per line). `window.modlab.onEvent(name, listener)` listens to one of them.
 */
export const API_EVENTS = ['lab:stream'] as const

export type ApiEvent = (typeof API_EVENTS)[number]

export function isApiEvent(value: unknown): value is ApiEvent {
  return typeof value === 'string' && (API_EVENTS as readonly string[]).includes(value)
}

/** The one Electron IPC channel that carries pushed events, main → renderer, as `{event, payload}`. */
export const EVENT_IPC_CHANNEL = 'modlab:event'
