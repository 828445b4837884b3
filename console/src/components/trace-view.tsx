/**
 * A failure trace made readable: its first line (the error and message) in plain view, the
 * stack behind a disclosure, with "Caused by" lines kept visible in the summary list.
 */
export function traceHeadline(trace: string): string {
  return trace.split('\n', 1)[0]!.trim();
}

export function traceCauses(trace: string): string[] {
  return trace.split('\n').filter((line) => /^\s*Caused by:/.test(line)).map((line) => line.trim());
}

export function TraceView({ trace, label }: { trace: string; label: string }) {
  const causes = traceCauses(trace);
  return (
    <div class="trace">
      <p class="trace-headline">{traceHeadline(trace)}</p>
      {causes.length > 0 && <ul class="trace-causes">{causes.map((cause, i) => <li key={i}>{cause}</li>)}</ul>}
      <details>
        <summary>Full trace<span class="visually-hidden"> of {label}</span></summary>
        <pre>{trace}</pre>
      </details>
    </div>
  );
}
