/**
 * The API contract: everything the renderer may ask of the main process, one interface
 * grouped by domain, a zod schema for every request, and the shapes that come back. Each area's
 * schemas and shapes are in its own `*-contract.ts`; this file joins them.
 * The renderer imports types from this file only.
 */
import type { z } from 'zod'
import type { ApiChannel, ApiEvent } from './channels'
import type { Connection } from './connection'
import { NoArguments } from './common-contract'
import {
  profilesRequestSchemas,
  type CreateProfileRequest,
  type DeleteProfileRequest,
  type ExportedProfile,
  type ExportProfileRequest,
  type ImportProfileRequest,
  type ProfileDetail,
  type ProfileFinding,
  type ProfileSummary,
  type ProfileTreeRequest,
  type SaveProfileRequest,
  type ValidateProfileRequest,
} from './profiles-contract'
import {
  kernelsRequestSchemas,
  type KernelImportRequest,
  type KernelImportSummary,
  type KernelSummary,
  type SeriesSummary,
} from './kernels-contract'
import {
  labRequestSchemas,
  type ApiEventPayloads,
  type BootRequest,
  type BootResult,
  type DevicesRequest,
  type GraphRequest,
  type KernelRecord,
  type LabWatch,
  type ModulesRequest,
  type RecordsRequest,
  type RunRecorded,
  type RunRequest,
  type ShellRequest,
  type TimelineRequest,
  type TimelineWindow,
  type WatchRequest,
} from './lab-contract'
import type { DeviceInfo, SupplierGraph } from './devices-contract'
import type { ModulesState, ShellResult } from './modules-contract'
import {
  sessionsRequestSchemas,
  type CreateSessionRequest,
  type DeletedSession,
  type DeleteSessionRequest,
  type DiffReport,
  type ExportedSession,
  type ExportSessionRequest,
  type ImportSessionRequest,
  type ListSessionsRequest,
  type RenameSessionRequest,
  type ReplayReport,
  type ReplayRequest,
  type SessionEvent,
  type SessionEventsRequest,
  type SessionRecord,
  type SessionsDiffRequest,
} from './sessions-contract'
import { whatifRequestSchemas, type WhatIfRequest, type WhatIfResult } from './whatif-contract'

export type * from './profiles-contract'
export type * from './kernels-contract'
export type * from './lab-contract'
export type * from './devices-contract'
export type * from './modules-contract'
export type * from './sessions-contract'
export type * from './whatif-contract'
// whatif-types.ts names DeviceState too, as the same union.
export type { DeviceState } from './devices-contract'
export { TreeDataSchema } from './profiles-contract'
export { TIMELINE_LANES } from './lab-contract'
export { SESSIONS_PAGE_MAX, SessionId, SessionName } from './sessions-contract'
export type { Connection }

// ---------------------------------------------------------------- requests

export const requestSchemas = {
  'app:info': NoArguments,
  ...profilesRequestSchemas,
  ...kernelsRequestSchemas,
  ...labRequestSchemas,
  ...sessionsRequestSchemas,
  ...whatifRequestSchemas,
} satisfies Record<ApiChannel, z.ZodType>

// ---------------------------------------------------------------- responses

export type HostKind = 'electron' | 'web' | 'cli'

export interface AppInfo {
  name: string
  version: string
  host: HostKind
  dataDir: string
  databaseFile: string
  schemaVersion: number
}

// ---------------------------------------------------------------- errors

export type ErrorCode =
  'invalid-request' | 'unknown-channel' | 'not-found' | 'forbidden' | 'internal'

/** What a failed request rejects with, on every host: plain data, so it crosses any bridge intact. */
export interface ApiErrorShape {
  code: ErrorCode
  message: string
  /** An `#include` of an imported .dts was not among the files handed over: what and where. */
  missingInclude?: { name: string; searched: string[] }
}

export type ApiResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }

// ---------------------------------------------------------------- the surface

/** `window.modlab`: frozen, and exactly these keys. */
export interface ModlabApi {
  readonly app: {
    info(): Promise<AppInfo>
  }
  readonly profiles: {
    list(): Promise<ProfileSummary[]>
    import(request: ImportProfileRequest): Promise<ProfileSummary>
    delete(request: DeleteProfileRequest): Promise<{ id: string }>
    export(request: ExportProfileRequest): Promise<ExportedProfile>
    validate(request: ValidateProfileRequest): Promise<ProfileFinding[]>
    tree(request: ProfileTreeRequest): Promise<ProfileDetail>
    create(request: CreateProfileRequest): Promise<ProfileSummary>
    save(request: SaveProfileRequest): Promise<ProfileSummary>
  }
  readonly kernels: {
    list(): Promise<KernelSummary[]>
    import(request: KernelImportRequest): Promise<KernelImportSummary>
    delete(request: { id: string }): Promise<{ id: string }>
  }
  readonly lab: {
    boot(request: BootRequest): Promise<BootResult>
    records(request: RecordsRequest): Promise<KernelRecord[]>
    /** Main pushes the boot's records and devices as `lab:stream` batches, to this page. */
    watch(request: WatchRequest): Promise<LabWatch>
    devices(request: DevicesRequest): Promise<DeviceInfo[]>
    shell(request: ShellRequest): Promise<ShellResult>
    modules(request: ModulesRequest): Promise<ModulesState>
    timeline(request: TimelineRequest): Promise<TimelineWindow>
    graph(request: GraphRequest): Promise<SupplierGraph>
    run(request: RunRequest): Promise<RunRecorded>
  }
  readonly sessions: {
    list(request?: ListSessionsRequest): Promise<SessionRecord[]>
    create(request: CreateSessionRequest): Promise<SessionRecord>
    rename(request: RenameSessionRequest): Promise<SessionRecord>
    delete(request: DeleteSessionRequest): Promise<DeletedSession>
    events(request: SessionEventsRequest): Promise<SessionEvent[]>
    replay(request: ReplayRequest): Promise<ReplayReport>
    diff(request: SessionsDiffRequest): Promise<DiffReport>
    export(request: ExportSessionRequest): Promise<ExportedSession>
    import(request: ImportSessionRequest): Promise<SessionRecord>
  }
  readonly whatif: {
    run(request: WhatIfRequest): Promise<WhatIfResult>
  }
  readonly series: {
    list(): Promise<SeriesSummary[]>
  }
  /** Listens to one pushed event (channels.ts's API_EVENTS); returns the way to stop. */
  readonly onEvent: <E extends ApiEvent>(
    event: E,
    listener: (payload: ApiEventPayloads[E]) => void,
  ) => () => void
}

/** The request domains of `window.modlab`: everything but `onEvent`. */
type ApiDomain = Exclude<keyof ModlabApi, 'onEvent'> & string

type MethodOf<C extends ApiChannel> = C extends `${infer D}:${infer V}`
  ? D extends ApiDomain
    ? V extends keyof ModlabApi[D]
      ? ModlabApi[D][V]
      : never
    : never
  : never

export type ApiResponse<C extends ApiChannel> =
  MethodOf<C> extends (...args: never[]) => Promise<infer R> ? R : never

/**
 * What a service implements for one channel: it receives the request already validated, and the
 * page it came from when a host has one to push events to (the CLI has none).
 */
export type ApiHandlers = {
  [C in ApiChannel]: (
    request: z.output<(typeof requestSchemas)[C]>,
    connection?: Connection,
  ) => ApiResponse<C> | Promise<ApiResponse<C>>
}

// Compile-time guards: the interface, the channel list and the schemas cannot drift apart.
type ChannelsOfApi = {
  [D in ApiDomain]: `${D}:${keyof ModlabApi[D] & string}`
}[ApiDomain]
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type RequestMatches<C extends ApiChannel> =
  Parameters<MethodOf<C>> extends
    [] | [z.input<(typeof requestSchemas)[C]>] | [z.input<(typeof requestSchemas)[C]>?]
    ? true
    : false
export const contractChecks: [
  Equal<ChannelsOfApi, ApiChannel>,
  { [C in ApiChannel]: RequestMatches<C> }[ApiChannel],
] = [true, true]
