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
