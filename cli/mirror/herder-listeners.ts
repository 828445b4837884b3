/**
 * Where each herder's worker serves its REST API in `ferry mirror-maker`. ferry's workers always
 * serve it (it is how a node reaches its own leader-only writes, and how people inspect
 * connectors), but nothing in dedicated mode needs one node to call another: the worker that
 * runs a connector writes its task configs itself, and each herder's group leader writes the
 * connector configs. So by default it is private: 127.0.0.1 on a port the system picks.
 *
 * - `<src>-><tgt>.listeners` (in the herder's worker properties): used as it is.
 * - top-level `listeners`: used by every herder; a fixed port is allowed only when this node
 *   runs one herder (two workers cannot share it), port 0 picks one per herder.
 * - `dedicated.mode.enable.internal.rest=true` without listeners: every interface, port 0,
 *   advertised under this machine's host name unless `rest.advertised.host.name` is set, so
 *   other nodes can forward REST writes and task restarts to it.
 *
 * Exactly-once herders need the last two: a follower's exactly-once task asks the group leader
 * to fence zombies over REST before it starts (exactly-once.md §7.5), which from another machine
 * fails while the leader listens on 127.0.0.1 only (exactlyOnceLeaderUnreachable).
 */
import { UserError } from '../command-line/user-error.js';
import os from 'node:os';

export interface ListenerChoice {
  readonly herders: readonly { readonly name: string; readonly workerProperties: Readonly<Record<string, string>> }[];
  readonly topLevelListeners: string | undefined;
  readonly internalRest: boolean;
}

/** Each herder's REST settings to add to its worker properties; throws with a one-line reason. */
export function herderListeners(choice: ListenerChoice): Record<string, string>[] {
  const { herders, topLevelListeners, internalRest } = choice;
  if (topLevelListeners !== undefined && herders.length > 1 && hasFixedPort(topLevelListeners)) {
    const shared = herders.filter((h) => h.workerProperties.listeners === undefined).map((h) => h.name);
    if (shared.length > 1) {
      throw new UserError(`listeners '${topLevelListeners.trim()}' has a fixed port, but this node runs ${shared.length} herders `
        + `(${shared.join(', ')}); set <source>-><target>.listeners for each, or use port 0`);
    }
  }
  return herders.map(({ workerProperties }): Record<string, string> => {
    if (workerProperties.listeners !== undefined) return {};
    if (topLevelListeners !== undefined) return { listeners: topLevelListeners };
    if (!internalRest) return { listeners: 'http://127.0.0.1:0' };
    return workerProperties['rest.advertised.host.name'] === undefined
      ? { listeners: 'http://:0', 'rest.advertised.host.name': os.hostname() }
      : { listeners: 'http://:0' };
  });
}

function hasFixedPort(listeners: string): boolean {
  return listeners.split(',').some((l) => {
    const port = /:(\d+)\/?\s*$/.exec(l.trim())?.[1];
    return port === undefined || Number(port) !== 0;
  });
}

/**
 * The herders with exactly.once.source.support=enabled whose REST API herderListeners makes
 * private to this machine (nobody chose listeners or internal REST): followers elsewhere could
 * not ask their leader for zombie fencing.
 */
export function exactlyOnceLeaderUnreachable(choice: ListenerChoice): string[] {
  if (choice.internalRest || choice.topLevelListeners !== undefined) return [];
  return choice.herders.filter((h) => h.workerProperties.listeners === undefined
    && h.workerProperties['exactly.once.source.support']?.trim().toLowerCase() === 'enabled').map((h) => h.name);
}
