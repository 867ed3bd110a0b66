/** A one-line progress bar with rate and ETA, for the long-running scripts (rebuild, verify). */
export const formatDuration = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s`
      : `${Math.round(s)}s`;

export const progressLine = (done: number, total: number, startedMs: number) => {
  const elapsed = (Date.now() - startedMs) / 1000;
  const rate = elapsed > 0 ? done / elapsed : 0;
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const width = 30;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
  const eta = rate > 0 ? formatDuration(Math.max(0, total - done) / rate) : '?';
  return `[${bar}] ${(share * 100).toFixed(1).padStart(5)}%  ${done.toLocaleString('en')}/${total.toLocaleString('en')} events  ${Math.round(rate).toLocaleString('en')} ev/s  ETA ${eta}`;
};
