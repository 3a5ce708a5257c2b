/**
 * The profiles part of the API contract: import, export, the editor's tree, create, save and
 * validate. Spread into `requestSchemas` in contract.ts; the renderer imports these types through it.
 */
import { z } from 'zod'
import type { TreeData, TreeNodeData } from '../hardware/tree-data'
import { MAX_BLOB_BYTES, MAX_SOURCE_BYTES, mebibytes } from '../hardware/file-limits'
import { TREE_TOO_DEEP, treeDepthExceeds } from '../hardware/tree-depth'
import { Bootargs, NoArguments, ResourceId } from './common-contract'

export type { TreeData, TreeNodeData }

const ProfileName = z.string().trim().min(1, 'a profile name must not be empty').max(120)
const ProfileText = z.string().max(4000)
const FileName = z.string().min(1).max(255)
const SOURCE_LIMIT = MAX_SOURCE_BYTES
const HexBytes = z
  .string()
  .regex(/^(?:[0-9a-f]{2})*$/, 'a value is lowercase hex, two digits a byte')
const HexNumber = z.string().regex(/^0x[0-9a-f]{1,16}$/, 'a 64-bit number as 0x hex')

const TreeNodeSchema: z.ZodType<TreeNodeData> = z.lazy(() =>
  z
    .object({
      name: z.string().max(256),
      labels: z
        .array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label is a C identifier'))
        .max(32)
        .optional(),
      properties: z
        .array(z.object({ name: z.string().min(1).max(256), value: HexBytes }).strict())
        .max(10_000),
      children: z.array(TreeNodeSchema).max(10_000),
    })
    .strict(),
)

const TreeDataShape = z
  .object({
    root: TreeNodeSchema,
    memoryReservations: z
      .array(z.object({ address: HexNumber, size: HexNumber }).strict())
      .max(1024),
    bootCpuId: z.number().int().min(0).max(0xffffffff),
  })
  .strict()

/** A tree deeper than the FDT format allows is refused before the recursive schema walks it. */
export const TreeDataSchema = z
  .unknown()
  .superRefine((tree, context) => {
    if (treeDepthExceeds((tree as { root?: unknown } | null)?.root))
      context.addIssue({ code: 'custom', path: ['root'], message: TREE_TOO_DEEP })
  })
  .pipe(TreeDataShape) as unknown as typeof TreeDataShape

export const profilesRequestSchemas = {
  'profiles:list': NoArguments,
  'profiles:import': z.union([
    z
      .object({
        name: ProfileName,
        /** The file the blob came from, for messages and provenance. */
        fileName: FileName,
        /** The .dtb, base64 (at most 24 MiB decoded). */
        dtb: z
          .string()
          .min(1)
          .max(
            Math.ceil(MAX_BLOB_BYTES / 3) * 4,
            `a devicetree blob is limited to ${mebibytes(MAX_BLOB_BYTES)}`,
          ),
      })
      .strict(),
    z
      .object({
        name: ProfileName,
        fileName: FileName,
        /** The .dts text. */
        dts: z.string().min(1).max(SOURCE_LIMIT, 'a devicetree source is limited to 16 MiB'),
        /** Where the .dts sits among `includeFiles` (defaults to fileName), for `#include "..."`. */
        sourcePath: z.string().min(1).max(4096).optional(),
        /** The include folders (`-I`), in search order, as named in `includeFiles`. */
        includeDirs: z.array(z.string().min(1).max(4096)).max(64).default([]),
        /** Included files handed over: path (inside an include folder) → text. */
        includeFiles: z
          .record(z.string().min(1).max(4096), z.string().max(SOURCE_LIMIT))
          .default({})
          .refine((files) => Object.keys(files).length <= 20_000, 'at most 20,000 include files'),
      })
      .strict(),
  ]),
  'profiles:delete': z.object({ id: ResourceId }).strict(),
  'profiles:export': z.object({ id: ResourceId, format: z.enum(['dts', 'dtb']) }).strict(),
  /** A profile's tree and facts, for the editor. */
  'profiles:tree': z.object({ id: ResourceId }).strict(),
  /** A new editable profile from a tree: a clone, or a deleted profile brought back. */
  'profiles:create': z
    .object({
      name: ProfileName,
      description: ProfileText.default(''),
      bootargs: Bootargs.default(''),
      tree: TreeDataSchema,
      sourceFile: FileName.default('modlab editor'),
      /** The id to take (when bringing a deleted profile back); a free one is chosen otherwise. */
      id: ResourceId.optional(),
    })
    .strict(),
  /** Saves an edited profile (built-ins are read-only). */
  'profiles:save': z
    .object({
      id: ResourceId,
      name: ProfileName,
      description: ProfileText,
      bootargs: Bootargs,
      tree: TreeDataSchema,
    })
    .strict(),
  /** Checks a stored profile, or an edited tree; with a kernel, unmatched devices are reported too. */
  'profiles:validate': z
    .object({
      id: ResourceId.optional(),
      tree: TreeDataSchema.optional(),
      kernel: ResourceId.optional(),
    })
    .strict()
    .refine(
      (request) => (request.id === undefined) !== (request.tree === undefined),
      'give either id or tree',
    ),
}

export type ImportProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:import']>
export type DeleteProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:delete']>
export type ExportProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:export']>

export type ValidateProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:validate']>
export type ProfileTreeRequest = z.input<(typeof profilesRequestSchemas)['profiles:tree']>
export type CreateProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:create']>
export type SaveProfileRequest = z.input<(typeof profilesRequestSchemas)['profiles:save']>

export interface ProfileFinding {
  severity: 'error' | 'warning' | 'info'
  /** The kind of check, named after dtc's where dtc has one (`unique_unit_address_if_enabled`). */
  check: string
  path: string
  message: string
}

/** A profile with its whole tree, for the editor. */
export interface ProfileDetail {
  summary: ProfileSummary
  tree: TreeData
}

export interface ExportedProfile {
  fileName: string
  format: 'dts' | 'dtb'
  /** Source text for dts; base64 for dtb. */
  content: string
}

export interface ProfileSource {
  generator: string
  tool: string
  sha256: string
}

export interface ProfileSummary {
  id: string
  name: string
  description: string
  /** The root node's `model` property. */
  model: string
  /** The root node's `compatible` list. */
  compatible: string[]
  /** Every node of the tree, the root included. */
  nodeCount: number
  /** `cpu` nodes under `/cpus`. */
  cpuCount: number
  /** The sum of the `reg` sizes of the `memory` nodes, or the RAM the profile or modlab gives it. */
  memoryBytes: number
  /** The tree leaves RAM to the bootloader and the profile does not say: modlab assumes a default. */
  memoryAssumed?: boolean
  bootargs: string
  builtIn: boolean
  source: ProfileSource
  /** Set when a stored profile cannot be read: why. It can still be deleted by its id. */
  problem?: string
}
