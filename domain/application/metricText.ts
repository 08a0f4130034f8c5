// A custom metric as a member's HTTP endpoint answers it, in the three shapes people serve:
// a plain number (`42`), JSON naming it (`{"queue": 42}`), or Prometheus' text format with a
// `queue 42` line (labels allowed: the first sample of that name counts).

/** The number, or an Error-free explanation of why the body holds none. */
export function parseMetric(body: string, metric: string): { value: number } | { problem: string } {
  const text = body.trim();
  if (text === '') return { problem: 'the answer was empty' };
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return { value: Number(text) };
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { problem: 'the answer looks like JSON but does not parse' };
    }
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[metric] : undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return { value };
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { value: Number(value) };
    return { problem: `the JSON answer has no number "${metric}"` };
  }
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l.startsWith('#')) continue;
    // name, optional {labels}, value, optional timestamp
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)(\s+\S+)?$/.exec(l);
    if (!m || m[1] !== metric) continue;
    const value = Number(m[3]);
    if (Number.isFinite(value)) return { value };
  }
  return { problem: `no "${metric} <number>" line in the answer` };
}
