/**
 * OffsetFetch (broker notes §5.6). v1 has no top-level error, so a group-level error is
 * copied into every requested partition; v2+ report it at top level (a null topic list asks
 * for every committed partition); v8 batches groups, each answered on its own.
 */
import { OffsetFetch } from '../../protocol/apis/offset-fetch.js';
import type { OffsetFetchResult } from '../../groups/group-types.js';
import { handler, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

type TopicQuery = { name: string; partitionIndexes: number[] }[] | null;

export function offsetFetchHandler(ctx: BrokerContext): ApiHandler {
  return handler(OffsetFetch, async (req, { header }) => {
    const version = header.apiVersion;
    const fetch = (groupId: string, topics: TopicQuery): Promise<OffsetFetchResult> =>
      ctx.groups.fetchOffsets({ groupId, topics, requireStable: req.requireStable });

    if (version >= 8) {
      const groups = await Promise.all(req.groups.map(async (g) => {
        const result = await fetch(g.groupId, g.topics);
        return { groupId: g.groupId, topics: result.topics, errorCode: result.errorCode };
      }));
      return { throttleTimeMs: 0, groups };
    }

    const result = await fetch(req.groupId, req.topics);
    if (version >= 2) return { throttleTimeMs: 0, topics: result.topics, errorCode: result.errorCode };
    if (result.errorCode === 0) return { throttleTimeMs: 0, topics: result.topics };
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({
          partitionIndex,
          committedOffset: -1,
          committedLeaderEpoch: -1,
          metadata: '',
          errorCode: result.errorCode,
        })),
      })),
    };
  });
}
