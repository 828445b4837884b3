/**
 * A properties file named on the command line (`ferry worker FILE`, `ferry start --config FILE`,
 * `ferry mirror-maker FILE`), read with the one-line UserError a user can act on when it is
 * missing, unreadable or not valid properties syntax.
 */
import { PropertiesSyntaxError, readPropertiesFile } from '../../runtime/config/properties-file.js';
import { oneLine } from './one-line.js';
import { UserError } from './user-error.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; check the path',
  EACCES: 'permission denied; check the file\'s permissions',
  EPERM: 'permission denied; check the file\'s permissions',
  EISDIR: 'it is a directory; name a .properties file',
  ENOTDIR: 'a part of the path is not a directory; check the path',
};

export async function readPropertiesArgument(file: string): Promise<Record<string, string>> {
  try {
    return await readPropertiesFile(file);
  } catch (err) {
    if (err instanceof PropertiesSyntaxError) throw new UserError(`${file}: ${err.message}`, { cause: err });
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code !== undefined ? REASONS[code] : undefined;
    throw new UserError(`cannot read ${file}: ${reason ?? oneLine(err)}`, { cause: err });
  }
}
