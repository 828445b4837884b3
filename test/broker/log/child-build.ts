/**
 * Builds a runnable JavaScript copy of a broker module and the modules it imports
 * (TypeScript transpile only, no type check) in a temp directory, so a test can run it in a
 * child process it can SIGKILL. The copy resolves npm packages through a node_modules link.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { tempDir } from '../../helpers/temp-dir.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export function buildForChild(entry: string): string {
  const out = tempDir('ferry-child-');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
  const pending = [path.join(ROOT, entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/from\s+'(\.{1,2}\/[^']+)\.js'/g)) {
      pending.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
    const js = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    }).outputText;
    const target = path.join(out, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, js);
  }
  return out;
}
