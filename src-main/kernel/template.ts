/**
 * Message templates of driver and kernel profiles: `{name}` or `{name:format}`. Unknown names stay
 * as written, so a template error shows in the output instead of vanishing.
 */
export type TemplateValues = Record<string, string | number | bigint | undefined>

const FORMATS: Record<string, (value: number | bigint) => string> = {
  hex: (value) => value.toString(16),
  hex8: (value) => value.toString(16).padStart(8, '0'),
  hex10: (value) => value.toString(16).padStart(10, '0'),
  hex16: (value) => value.toString(16).padStart(16, '0'),
  /** `%lu.%02luMHz` as arch_timer prints its rate. */
  mhz2: (value) => {
    const hz = Number(value)
    return `${Math.floor(hz / 1_000_000)}.${String(Math.floor(hz / 10_000) % 100).padStart(2, '0')}`
  },
  /** `%ptRs`: an ISO date and time to the second, from seconds since the epoch. */
  iso: (value) => new Date(Number(value) * 1000).toISOString().slice(0, 19),
}

export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\{([\w.]+)(?::(\w+))?\}/g, (whole, name: string, format?: string) => {
    const value = values[name]
    if (value === undefined) return whole
    if (!format) return String(value)
    const formatter = FORMATS[format]
    return formatter && typeof value !== 'string' ? formatter(value) : whole
  })
}
