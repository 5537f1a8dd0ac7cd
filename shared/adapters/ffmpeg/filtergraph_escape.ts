/**
 * Escapes a filter option value for a -filter_complex string. ffmpeg unescapes twice: once when it splits
 * the graph into filters (special: \ ' [ ] , ;) and once when it splits a filter's options (special: \ ' :).
 * So the option level is escaped first, the graph level around it. Paths, colours and expressions all
 * go through here, so none of them can end an option or a filter early.
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, '\\$&');
  return optionLevel.replace(/[\\'[\],;]/g, '\\$&');
}

/** `key=value:key=value` with every value escaped. */
export function filterOptions(options: Readonly<Record<string, string | number>>): string {
  return Object.entries(options)
    .map(([key, value]) => `${key}=${escapeFilterValue(String(value))}`)
    .join(':');
}
