/** Starts and stops bare-server.js, the baseline HTTP server, as a child process. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const BARE_SERVER = path.join(import.meta.dirname, 'bare-server.js');

export interface BareServer {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

export function startBareServer(body: Buffer): Promise<BareServer> {
  const child = spawn(process.execPath, [BARE_SERVER, body.toString('base64')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const match = /"port":(\d+)/.exec(text);
      if (!match) return;
      resolve({
        pid: child.pid!,
        url: `http://127.0.0.1:${match[1]}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`bare server exited with ${child.exitCode} before it listened`)));
  });
}
