/**
 * What differs between the servers the test server can pretend to be: the root answer
 * (`GET /`), the product header, the REST compatibility versions accepted, the name of the
 * document parsing error, whether answers still carry `_type`, and the built-in index templates.
 *
 * Root answers: https://www.elastic.co/guide/en/elasticsearch/reference/current/rest-api-root.html
 * (ES 8/9), the 7.17 reference of the same page, and OpenSearch's
 * https://opensearch.org/docs/latest/getting-started/communicate/ (`version.distribution: "opensearch"`,
 * its own tagline, no `X-elastic-product` header).
 */

export type EsMode = 'es8' | 'es9' | 'es7' | 'opensearch2' | 'opensearch1';

export interface ModeProfile {
  readonly mode: EsMode;
  readonly distribution: 'elasticsearch' | 'opensearch';
  readonly versionNumber: string;
  readonly major: number;
  readonly luceneVersion: string;
  readonly minimumWireCompatibilityVersion: string;
  readonly minimumIndexCompatibilityVersion: string;
  readonly buildFlavor?: string;
  readonly tagline: string;
  /** `X-elastic-product: Elasticsearch` on every answer (Elasticsearch 7.14 and later). */
  readonly productHeader: boolean;
  /** Majors accepted in `compatible-with=N` media types; empty when vendored media types are unknown. */
  readonly compatibleWith: readonly number[];
  /** Type of the error a document that does not fit its mapping gets (8.8+ renamed it). */
  readonly documentParsingError: 'document_parsing_exception' | 'mapper_parsing_exception';
  /** Answers carry `_type: "_doc"` (Elasticsearch 7, OpenSearch 1). */
  readonly typesInAnswers: boolean;
  /** Built-in composable templates that make data streams: `logs-*-*`, `metrics-*-*` (Elasticsearch only). */
  readonly builtInDataStreamTemplates: boolean;
}

const PROFILES: Record<EsMode, ModeProfile> = {
  es8: {
    mode: 'es8', distribution: 'elasticsearch', versionNumber: '8.15.3', major: 8, luceneVersion: '9.11.1',
    minimumWireCompatibilityVersion: '7.17.0', minimumIndexCompatibilityVersion: '7.0.0', buildFlavor: 'default',
    tagline: 'You Know, for Search', productHeader: true, compatibleWith: [7, 8],
    documentParsingError: 'document_parsing_exception', typesInAnswers: false, builtInDataStreamTemplates: true,
  },
  es9: {
    mode: 'es9', distribution: 'elasticsearch', versionNumber: '9.0.2', major: 9, luceneVersion: '10.1.0',
    minimumWireCompatibilityVersion: '8.18.0', minimumIndexCompatibilityVersion: '8.0.0', buildFlavor: 'default',
    tagline: 'You Know, for Search', productHeader: true, compatibleWith: [8, 9],
    documentParsingError: 'document_parsing_exception', typesInAnswers: false, builtInDataStreamTemplates: true,
  },
  es7: {
    mode: 'es7', distribution: 'elasticsearch', versionNumber: '7.17.25', major: 7, luceneVersion: '8.11.3',
    minimumWireCompatibilityVersion: '6.8.0', minimumIndexCompatibilityVersion: '6.0.0-beta1', buildFlavor: 'default',
    tagline: 'You Know, for Search', productHeader: true, compatibleWith: [],
    documentParsingError: 'mapper_parsing_exception', typesInAnswers: true, builtInDataStreamTemplates: true,
  },
  opensearch2: {
    mode: 'opensearch2', distribution: 'opensearch', versionNumber: '2.17.1', major: 2, luceneVersion: '9.11.1',
    minimumWireCompatibilityVersion: '7.10.0', minimumIndexCompatibilityVersion: '7.0.0',
    tagline: 'The OpenSearch Project: https://opensearch.org/', productHeader: false, compatibleWith: [],
    documentParsingError: 'mapper_parsing_exception', typesInAnswers: false, builtInDataStreamTemplates: false,
  },
  opensearch1: {
    mode: 'opensearch1', distribution: 'opensearch', versionNumber: '1.3.19', major: 1, luceneVersion: '8.10.1',
    minimumWireCompatibilityVersion: '6.8.0', minimumIndexCompatibilityVersion: '6.0.0-beta1',
    tagline: 'The OpenSearch Project: https://opensearch.org/', productHeader: false, compatibleWith: [],
    documentParsingError: 'mapper_parsing_exception', typesInAnswers: true, builtInDataStreamTemplates: false,
  },
};

export function modeProfile(mode: EsMode): ModeProfile {
  const profile = PROFILES[mode];
  if (profile === undefined) throw new Error(`unknown Elasticsearch test server mode ${String(mode)}`);
  return profile;
}

/** The body of `GET /`. */
export function rootAnswer(profile: ModeProfile, clusterUuid: string): Record<string, unknown> {
  const version: Record<string, unknown> = {};
  if (profile.distribution === 'opensearch') version.distribution = 'opensearch';
  version.number = profile.versionNumber;
  if (profile.buildFlavor !== undefined) version.build_flavor = profile.buildFlavor;
  version.build_type = 'tar';
  version.build_hash = '0000000000000000000000000000000000000000';
  version.build_date = '2024-10-01T00:00:00.000000000Z';
  version.build_snapshot = false;
  version.lucene_version = profile.luceneVersion;
  version.minimum_wire_compatibility_version = profile.minimumWireCompatibilityVersion;
  version.minimum_index_compatibility_version = profile.minimumIndexCompatibilityVersion;
  return {
    name: 'ferry-test-node',
    cluster_name: profile.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
    cluster_uuid: clusterUuid,
    version,
    tagline: profile.tagline,
  };
}
