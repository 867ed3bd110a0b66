import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  readonly id: number;
  readonly children?: number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: number[];
}

export interface ProfileSummary {
  readonly seconds: number;
  /** Self time per area (our code by folder, each npm package, node internals, GC, idle), percent of samples. */
  readonly byArea: { area: string; pct: number }[];
  /** The functions with the most self time, each with the caller chain most of that time came through. */
  readonly topFunctions: { fn: string; pct: number; via: string }[];
}

const areaOf = (url: string, name: string): string => {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url;
};

/** Self-time summary of a V8 .cpuprofile (as written by profile-preload). */
export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = (n: CpuProfileNode) => {
    const { functionName, url, lineNumber } = n.callFrame;
    const short = url.replace(/^.*\/(node_modules|dist)\//, '').replace(/^node:internal\//, '');
    return `${functionName || '(anonymous)'}${short ? `@${short}:${lineNumber + 1}` : ''}`;
  };
  const chains = new Map<string, Map<string, number>>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + hits);
    const short = url.replace(/^.*\/(node_modules|dist)\//, '$1/');
    const fn = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + hits);
    const callers: string[] = [];
    for (let id = parent.get(node.id); id !== undefined && callers.length < 6; id = parent.get(id))
      callers.push(frame(byId.get(id)!));
    const perFn = chains.get(fn) ?? new Map<string, number>();
    const chain = callers.join(' < ');
    perFn.set(chain, (perFn.get(chain) ?? 0) + hits);
    chains.set(fn, perFn);
  }
  const ranked = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => [k, (100 * v) / total] as const);
  return {
    seconds: (profile.endTime - profile.startTime) / 1e6,
    byArea: ranked(areas, 25).map(([area, pct]) => ({ area, pct })),
    topFunctions: ranked(fns, top).map(([fn, pct]) => ({
      fn,
      pct,
      via: [...(chains.get(fn) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
    })),
  };
}
