/**
 * The Kafka connection of `ferry topics` and `ferry groups`: one WireCluster and admin for
 * metadata, configs, offsets and groups, plus producers, partition readers and group members
 * made on demand. Only standard Kafka protocol APIs are used, so the tools work against the
 * bundled broker and any Kafka alike.
 *
 * open() asks a broker for metadata once, without retrying, so a wrong or stopped
 * --bootstrap-server ends the command at once with one line naming the address instead of
 * after default.api.timeout.ms of retries. Later operations retry retriable errors for up to
 * 30 s (the CLI's default.api.timeout.ms; --command-config may set it).
 */
import { pino, type Logger } from 'pino';
import { DEFAULT_BROKER_CONFIG } from '../../broker/broker-config.js';
import { KafkaClientConfigError, parseBootstrap, parseCommonSettings } from '../../runtime/kafka/client-settings.js';
import { createKafkaClient } from '../../runtime/kafka/create-kafka-client.js';
import type { KafkaClient } from '../../runtime/kafka/kafka-client.js';
import { KafkaError, UnsupportedApiError, WireConnectionError } from '../../runtime/kafka/wire/kafka-error.js';
import { parseAddress, WireCluster } from '../../runtime/kafka/wire/wire-cluster.js';
import { WireTopicAdmin } from '../../runtime/kafka/wire/wire-topic-admin.js';
import { WireClusterClient } from '../../runtime/kafka/wire-cluster-client.js';
import { UserError } from '../command-line/user-error.js';

/** Where `ferry start` runs its bundled broker unless told otherwise (--host 127.0.0.1, --broker-port 9092). */
export const DEFAULT_BOOTSTRAP_SERVER = `${DEFAULT_BROKER_CONFIG.host}:${DEFAULT_BROKER_CONFIG.port}`;

/** Client defaults of the CLI tools: a user at a terminal waits seconds, not a minute. */
const CLI_CLIENT_DEFAULTS: Readonly<Record<string, string>> = {
  'default.api.timeout.ms': '30000',
  'request.timeout.ms': '30000',
  'socket.connection.setup.timeout.ms': '10000',
};

export interface SessionOptions {
  /** host:port[,host:port...] */
  readonly bootstrapServer: string;
  /** Client properties (security.protocol, sasl.*, ssl.*, timeouts) from --command-config. */
  readonly clientProperties?: Readonly<Record<string, string>>;
  readonly clientId: string;
}

export class KafkaSession {
  readonly cluster: WireCluster;
  readonly admin: WireTopicAdmin;
  readonly bootstrapServer: string;
  readonly #properties: Record<string, string>;
  readonly #clientId: string;
  readonly #logger: Logger;
  #clients: WireClusterClient | undefined;
  #kafka: KafkaClient | undefined;

  private constructor(options: SessionOptions, properties: Record<string, string>, logger: Logger) {
    this.bootstrapServer = options.bootstrapServer;
    this.#properties = properties;
    this.#clientId = options.clientId;
    this.#logger = logger;
    const settings = parseCommonSettings(properties, { bootstrap: properties['bootstrap.servers']!, clientId: options.clientId, logger });
    this.cluster = WireCluster.fromSettings(settings, logger);
    this.admin = new WireTopicAdmin(this.cluster);
  }

  /** Connects and reads the cluster's metadata once; throws a UserError naming the address when no broker answers. */
  static async open(options: SessionOptions): Promise<KafkaSession> {
    const logger = pino({ level: process.env.FERRY_LOG_LEVEL ?? 'silent' }, pino.destination(2));
    let bootstrap: string[];
    try {
      bootstrap = parseBootstrap(options.bootstrapServer);
      for (const entry of bootstrap) parseAddress(entry);
    } catch {
      throw new UserError(`bad --bootstrap-server '${options.bootstrapServer}': expected HOST:PORT[,HOST:PORT...]`, { exitCode: 2 });
    }
    const properties = { ...CLI_CLIENT_DEFAULTS, ...options.clientProperties, 'bootstrap.servers': bootstrap.join(',') };
    let session: KafkaSession;
    try {
      session = new KafkaSession(options, properties, logger);
    } catch (err) {
      if (err instanceof KafkaClientConfigError) {
        throw new UserError(`bad client settings: ${(err as Error).message}`, { exitCode: 2, cause: err });
      }
      throw err;
    }
    try {
      await session.cluster.refreshMetadata([]);
    } catch (err) {
      await session.close();
      if (err instanceof WireConnectionError) {
        throw new UserError(`cannot reach a Kafka broker at ${options.bootstrapServer} (${reason(err)}): is it running? Name another with --bootstrap-server HOST:PORT`, { cause: err });
      }
      throw err;
    }
    return session;
  }

  /** Producers and group-less partition readers with the session's client properties (each closed by close()). */
  get clients(): WireClusterClient {
    this.#clients ??= new WireClusterClient(this.#properties, this.#clientId, this.#logger);
    return this.#clients;
  }

  /** The runtime's Kafka client, for consumer group members. */
  get kafka(): KafkaClient {
    this.#kafka ??= createKafkaClient({
      bootstrapServers: this.#properties['bootstrap.servers']!,
      clientId: this.#clientId,
      properties: this.#properties,
      consumer: this.#properties,
      logger: this.#logger,
    });
    return this.#kafka;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#clients?.close(), this.#kafka?.close(), this.admin.close(), this.cluster.close()]);
  }
}

const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
};

/** Why a connection failed, in a few words: "connection refused", "timed out after 10000 ms". */
function reason(err: Error): string {
  const code = /\b(E[A-Z_]{3,})\b/.exec(err.message)?.[1];
  if (code !== undefined && SOCKET_ERRORS[code] !== undefined) return SOCKET_ERRORS[code];
  const timedOut = /timed out.*$/.exec(err.message);
  return timedOut ? timedOut[0] : err.message;
}

/**
 * What a broker said, without the request it answered: "replication factor 3 is not possible
 * on a single broker (INVALID_REPLICATION_FACTOR)", or the error's name when it gave no message.
 */
export function brokerSaid(err: KafkaError): string {
  const server = new RegExp(`^.*?: ${err.type} \\(${err.code}\\): (.*)$`, 's').exec(err.message)?.[1];
  return server ? `${server} (${err.type})` : err.type;
}

/** Runs `work`; a broker's refusal becomes a UserError `<doing>: <what the broker said>`. */
export async function refusedAs<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof KafkaError) throw new UserError(`${doing}: ${brokerSaid(err)}`, { cause: err });
    throw err;
  }
}

/**
 * One line for an error a user can cause against a cluster (a broker's error code, a broker that
 * went away, an API the broker lacks); undefined for anything else, which is a bug.
 */
export function kafkaFailure(err: unknown, bootstrapServer: string): UserError | undefined {
  if (err instanceof UserError) return err;
  if (err instanceof KafkaError || err instanceof UnsupportedApiError) return new UserError(err.message, { cause: err });
  if (err instanceof WireConnectionError) return new UserError(`lost the connection to the Kafka cluster at ${bootstrapServer}: ${err.message}`, { cause: err });
  if (err instanceof KafkaClientConfigError) return new UserError(`bad client settings: ${err.message}`, { exitCode: 2, cause: err });
  return undefined;
}

/** Runs `work` with a session, closing it afterwards, and turns Kafka errors into UserErrors. */
export async function withSession<T>(options: SessionOptions, work: (session: KafkaSession) => Promise<T>): Promise<T> {
  const session = await KafkaSession.open(options);
  try {
    return await work(session);
  } catch (err) {
    throw kafkaFailure(err, options.bootstrapServer) ?? err;
  } finally {
    await session.close();
  }
}
