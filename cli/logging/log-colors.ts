/**
 * Whether pretty log lines are coloured: never when NO_COLOR is set (https://no-color.org),
 * always when FORCE_COLOR is set to anything but 0, else when the stream is a terminal that
 * supports colours.
 */
export interface ColorStream {
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

export function supportsColor(stream: ColorStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && (stream.hasColors?.() ?? false);
}
