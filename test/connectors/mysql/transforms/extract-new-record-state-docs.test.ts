/**
 * connectors/mysql/README.md carries the option reference of ExtractNewRecordState generated from
 * its config spec, between `<!-- extract-new-record-state:start -->` and `...:end -->`, so the docs
 * cannot drift from the code (as test/connectors/config-docs.test.ts does for connector specs).
 * `UPDATE_DOCS=1 npx vitest run test/connectors/mysql/transforms/extract-new-record-state-docs.test.ts`
 * rewrites it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { extractNewRecordStateSpec } from '../../../../connectors/mysql/transforms/extract-new-record-state-config.js';

const README = path.resolve(import.meta.dirname, '../../../../connectors/mysql/README.md');
const START = '<!-- extract-new-record-state:start -->';
const END = '<!-- extract-new-record-state:end -->';

it('the MySQL README documents every ExtractNewRecordState option as the spec declares it', () => {
  const text = fs.readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  expect(start, `connectors/mysql/README.md has no ${START} marker`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const generated = `${START}\n${extractNewRecordStateSpec.toMarkdown({ title: 'ExtractNewRecordState options', headingLevel: 3 })}${END}`;
  const current = text.slice(start, end + END.length);
  if (process.env.UPDATE_DOCS === '1' && current !== generated) {
    fs.writeFileSync(README, text.slice(0, start) + generated + text.slice(end + END.length));
    return;
  }
  expect(current, 'run UPDATE_DOCS=1 npx vitest run test/connectors/mysql/transforms/extract-new-record-state-docs.test.ts').toBe(generated);
});
