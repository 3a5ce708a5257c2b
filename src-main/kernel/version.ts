/** Recorded with every boot: a replay on another engine version may differ, and says so. */
export const ENGINE_VERSION = '0.2.0'
