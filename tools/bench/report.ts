/** One row of the result table: what was measured, against which target, and whether it made it. */
export interface Line {
  readonly id: string;
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  readonly result: 'pass' | 'miss' | 'info' | 'skipped' | 'failed';
  /** The raw number behind `measured` (for the JSON). */
  readonly value?: number;
  readonly unit?: string;
  readonly note?: string;
}

export const judge = (ok: boolean): Line['result'] => (ok ? 'pass' : 'miss');

export function table(lines: readonly Line[]): string {
  const headers = ['#', 'figure', 'measured', 'target', 'result'];
  const rows = lines.map((l) => [
    l.id,
    l.figure,
    l.measured,
    l.target,
    l.result.toUpperCase() === 'MISS' ? 'MISS' : l.result,
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) out.push(fmt(row));
  const notes = lines
    .filter((l) => l.note)
    .map((l) => `  ${l.id} ${l.figure.trim().replace(/^diagnostic: /, '')}: ${l.note}`);
  if (notes.length) out.push('', 'notes:', ...notes);
  return out.join('\n');
}
