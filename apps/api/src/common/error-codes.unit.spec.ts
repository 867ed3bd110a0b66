import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOMAIN_ERRORS } from '@eenplan/domain';
import { API_ERRORS, ERROR_CODES, renderErrorsDoc } from './error-codes';

const root = join(__dirname, '..', '..', '..', '..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });

describe('the error-code table', () => {
  it('docs/errors.md is what `npm run docs:errors` writes', () => {
    expect(readFileSync(join(root, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('names each code once: the API table repeats no domain code', () => {
    const codes = ERROR_CODES.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Object.keys(API_ERRORS).filter((code) => code in DOMAIN_ERRORS)).toEqual([]);
  });

  it('lists every code the API answers with, at the status it answers with', () => {
    const status = new Map(ERROR_CODES.map((e) => [e.code as string, e.status]));
    const used: [string, number, string][] = [];
    const calls = [
      [/new ProblemException\(\s*(\d{3}),\s*'(\w+)'/g, undefined],
      [/\bbadRequest\(\s*'(\w+)'/g, 400],
      [/\bnotFoundProblem\(\s*'(\w+)'/g, 404],
      [/\brefused\(\s*'(\w+)'/g, 403],
      [/\bmake\(\s*(\d{3}),\s*'(\w+)'/g, undefined],
    ] as const;
    for (const file of sources(join(root, 'apps', 'api', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const [pattern, fixed] of calls) {
        for (const m of text.matchAll(pattern)) {
          used.push(fixed === undefined ? [m[2]!, Number(m[1]), file] : [m[1]!, fixed, file]);
        }
      }
    }
    expect(used.length).toBeGreaterThan(30);
    expect(used.filter(([code, s]) => status.get(code) !== s)).toEqual([]);
  });

  it('lists every code the domain refuses with, and no code it never uses', () => {
    const used = new Set<string>();
    for (const file of sources(join(root, 'libs', 'domain', 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /\b(?:conflict|forbidden|invalid|notFound)\(\s*'(\w+)'/g,
      ))
        used.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/\['(\w+LimitReached)'/g)) used.add(m[1]!);
    }
    expect([...used].filter((code) => !(code in DOMAIN_ERRORS))).toEqual([]);
    expect(Object.keys(DOMAIN_ERRORS).filter((code) => !used.has(code))).toEqual([]);
  });
});
