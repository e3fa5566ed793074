/**
 * The README's usage snippets are the `#region readme-*` parts of the consumer apps in
 * examples/, which CI installs from the packed tarball and runs on every Node line. A snippet
 * marked `<!-- snippet: examples/…#region -->` must equal its region, so a README that drifts
 * from what runs fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const marked = [...readme.matchAll(/<!-- snippet: (\S+)#(\S+) -->\n```\w*\n([\s\S]*?)```\n/g)].map(([, file, region, body]) => ({
  file: file!,
  region: region!,
  body: body!,
}));

/** The lines between `// #region name` and `// #endregion name` in an example file. */
function regionText(file: string, name: string): string | undefined {
  const source = readFileSync(join(root, file), 'utf8');
  const found = new RegExp(`^// #region ${name}\\n([\\s\\S]*?)^// #endregion ${name}\\n`, 'm').exec(source);
  return found?.[1];
}

function exampleFiles(dir = join(root, 'examples')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? exampleFiles(path) : /\.(c|m)?(j|t)s$/.test(entry.name) ? [path] : [];
  });
}

test('every README snippet is, character for character, the region of the example it names', () => {
  expect(marked.length).toBeGreaterThanOrEqual(6);
  for (const snippet of marked) {
    expect(snippet.body, `README snippet ${snippet.file}#${snippet.region}`).toBe(regionText(snippet.file, snippet.region));
  }
});

test('every readme region in the examples is shown in the README', () => {
  const regions = exampleFiles().flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/^\/\/ #region (readme-\S+)$/gm)].map((match) => `${path.slice(root.length)}#${match[1]}`),
  );
  expect(regions.toSorted()).toEqual(marked.map((snippet) => `${snippet.file}#${snippet.region}`).toSorted());
});
