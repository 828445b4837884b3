import { describe, expect, it } from 'vitest';
import type { TaskLogger } from '../../../connectors/sdk/task-logger.js';
import { scrubbingLogger } from '../../../runtime/worker/scrubbing-logger.js';

function recording(): { logger: TaskLogger; lines: { level: string; obj: unknown; msg: string | undefined }[] } {
  const lines: { level: string; obj: unknown; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: object | string, msg?: string) => { lines.push({ level, obj, msg }); };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const hideSecret = (text: string) => text.split('s3cr3t').join('[hidden]');

describe('the logger a connector or task is given', () => {
  it('puts the connector and task on every line, whether the task logs a message alone or fields too', () => {
    const { logger, lines } = recording();
    const task = scrubbingLogger(logger, hideSecret, { connector: 'mysql-cdc', task: 0 });
    task.info('Resuming the binlog at mysql-bin.000001:4');
    task.warn({ file: 'mysql-bin.000001' }, 'position purged');
    expect(lines).toEqual([
      { level: 'info', obj: { connector: 'mysql-cdc', task: 0 }, msg: 'Resuming the binlog at mysql-bin.000001:4' },
      { level: 'warn', obj: { connector: 'mysql-cdc', task: 0, file: 'mysql-bin.000001' }, msg: 'position purged' },
    ]);
  });

  it('scrubs secrets from messages, fields and errors', () => {
    const { logger, lines } = recording();
    const connector = scrubbingLogger(logger, hideSecret, { connector: 's3-backup' });
    connector.error({ err: new Error('login with s3cr3t refused'), url: 'http://u:s3cr3t@h' }, 'failed with s3cr3t');
    connector.info('password s3cr3t');
    expect(JSON.stringify(lines)).not.toContain('s3cr3t');
    expect(lines[0]!.obj).toMatchObject({ connector: 's3-backup', err: { message: 'login with [hidden] refused' }, url: 'http://u:[hidden]@h' });
    expect(lines[1]).toEqual({ level: 'info', obj: { connector: 's3-backup' }, msg: 'password [hidden]' });
  });
});
