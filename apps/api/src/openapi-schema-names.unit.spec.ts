import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @nestjs/swagger names a class's schema by the class name alone: two classes of one name (an input
 * and an answer, or two answers of different controllers) become ONE schema in the document, and
 * the operations of the other describe a shape their answers do not have. It says nothing. Such a
 * pair once made the regie history's `holder` the regie-holder answer; the typed-client suite
 * caught it at run time. This finds it before: every class with OpenAPI properties has its own name.
 */
const SRC = __dirname;

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });

/** The classes of a file that carry @ApiProperty / @ApiPropertyOptional (the ones in the document). */
const documentedClasses = (text: string): string[] =>
  text
    .split(/^(?=(?:export )?(?:abstract )?class )/m)
    .map((chunk) => ({ name: /^(?:export )?(?:abstract )?class (\w+)/.exec(chunk)?.[1], chunk }))
    .filter(({ name, chunk }) => name !== undefined && /@ApiProperty(Optional)?\(/.test(chunk))
    .map(({ name }) => name!);

describe('OpenAPI schema names', () => {
  it('no two documented classes of the API share a name', () => {
    const where = new Map<string, string[]>();
    for (const file of sources(SRC))
      for (const name of documentedClasses(readFileSync(file, 'utf8')))
        where.set(name, [...(where.get(name) ?? []), relative(SRC, file)]);
    const shared = [...where]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('finds a documented class (the scan itself works)', () => {
    const names = sources(SRC).flatMap((file) => documentedClasses(readFileSync(file, 'utf8')));
    expect(names).toEqual(expect.arrayContaining(['HouseholdRegisteredDto', 'RegieHistoryPageDto']));
    expect(names.length).toBeGreaterThan(50);
  });
});
