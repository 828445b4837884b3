/**
 * Which connectors are MirrorMaker's, by their `connector.class` (full name, simple name or
 * the worker's short alias). Pure code with no imports, so unit tests can load it outside a browser.
 */
export type MirrorKind = 'source' | 'checkpoint' | 'heartbeat';

const MIRROR_CLASS = /^(?:org\.apache\.kafka\.connect\.mirror\.)?Mirror(Source|Checkpoint|Heartbeat)(?:Connector)?$/;

/** The MirrorMaker kind of a `connector.class` value, or null for any other connector. */
export function mirrorKindOfClass(connectorClass: string | undefined): MirrorKind | null {
  const match = MIRROR_CLASS.exec((connectorClass ?? '').trim());
  if (!match) return null;
  return match[1] === 'Source' ? 'source' : match[1] === 'Checkpoint' ? 'checkpoint' : 'heartbeat';
}
