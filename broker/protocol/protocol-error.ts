/** A frame that cannot be decoded or encoded. The connection that sent it is closed. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}
