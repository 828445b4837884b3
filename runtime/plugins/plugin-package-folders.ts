/**
 * The package folders on a plugin path, as Kafka Connect reads `plugin.path`: each directory
 * given is either itself a package (it holds a package.json) or holds packages one level down
 * (npm scopes, `@acme/x`, count as one level). Hidden entries and plain files are skipped.
 * Folders come in the order of the directories given, then by name, so that "loaded earlier"
 * means the same thing on every start.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface PluginPathScan {
  /** Absolute paths of the candidate package folders. */
  readonly folders: readonly string[];
  /** Directories of the path that could not be read, with why. */
  readonly problems: readonly { readonly folder: string; readonly reason: string }[];
}

export async function scanPluginPath(directories: readonly string[]): Promise<PluginPathScan> {
  const folders: string[] = [];
  const problems: { folder: string; reason: string }[] = [];
  for (const given of directories) {
    if (given.trim() === '') continue;
    const directory = path.resolve(given.trim());
    const kind = await kindOf(directory);
    if (kind !== 'directory') {
      problems.push({ folder: directory, reason: kind === 'missing' ? 'no such directory on plugin.path' : 'not a directory (plugin.path lists directories)' });
      continue;
    }
    if (await kindOf(path.join(directory, 'package.json')) === 'file') {
      folders.push(directory);
      continue;
    }
    for (const entry of await subdirectories(directory)) {
      const folder = path.join(directory, entry);
      if (entry.startsWith('@') && await kindOf(path.join(folder, 'package.json')) !== 'file') {
        for (const scoped of await subdirectories(folder)) folders.push(path.join(folder, scoped));
      } else {
        folders.push(folder);
      }
    }
  }
  // A directory listed twice (or inside another listed one) gives its packages once.
  return { folders: [...new Set(folders)], problems };
}

async function subdirectories(directory: string): Promise<string[]> {
  const names = (await readdir(directory)).filter((name) => !name.startsWith('.')).sort();
  const out: string[] = [];
  for (const name of names) if (await kindOf(path.join(directory, name)) === 'directory') out.push(name);
  return out;
}

/** What a path is, following symbolic links (a linked package folder counts). */
export async function kindOf(file: string): Promise<'file' | 'directory' | 'other' | 'missing'> {
  try {
    const stats = await stat(file);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}
