/**
 * Starts a baseline sink script (loopback-sink, append-floor-sink) as its own Node process
 * and waits for the `{"port":P}` line it prints once listening. The sink exits when its
 * stdin closes, so it never outlives the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface SinkProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  stop(): void;
}

export async function startSinkProcess(script: string, args: string[] = []): Promise<SinkProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /"port":(\d+)/.exec(text);
        if (match) resolve(Number(match[1]));
      });
      child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    });
    return { child, pid: child.pid!, port, stop: () => { child.kill('SIGTERM'); } };
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
}
