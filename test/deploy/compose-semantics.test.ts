/**
 * What Compose's schema cannot check (shared/reference/deployment-and-ui.md A6.3): the real
 * docker-compose.yml passes every check of compose-checks.ts, and for each check a copy broken
 * the way files really break is reported, naming what is wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  checkConnectorFiles, checkConnectorsApply, checkDependencies, checkDollars, checkElasticsearch, checkFerryWorkers, checkHealthchecks,
  checkImages, checkKafka, checkMysql, checkObjectStore, checkPorts, checkTopLevel, checkVolumes, COMPOSE_CHECKS,
} from './compose-checks.js';
import { cloneCompose, connectorFiles, environmentOf, loadCompose, type ComposeFile, type ComposeService } from './compose-model.js';

const compose = loadCompose();

/** A copy of the file with `change` applied (shared YAML anchors are replaced, never edited in place). */
function broken(change: (c: ComposeFile) => void): ComposeFile {
  const copy = cloneCompose(compose);
  change(copy);
  return copy;
}

const service = (c: ComposeFile, name: string): ComposeService => c.services[name]!;

function setEnv(c: ComposeFile, name: string, changes: Record<string, string | undefined>): void {
  const env: Record<string, string> = environmentOf(service(c, name));
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  service(c, name).environment = env;
}

function expectProblem(problems: string[], pattern: RegExp): void {
  expect(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n')}`).toBe(true);
}

describe('docker-compose.yml', () => {
  it.each(Object.keys(COMPOSE_CHECKS))('passes %s', (name) => {
    expect(COMPOSE_CHECKS[name]!(compose)).toEqual([]);
  });
});

describe('structure', () => {
  it('reports a version key and a missing project name', () => {
    const problems = checkTopLevel(broken((c) => { c.version = '3.8'; delete c.name; }));
    expectProblem(problems, /version/);
    expectProblem(problems, /name/);
  });

  it('reports depends_on naming no service, a healthy wait on a service without healthcheck, and a completion wait on a restarting service', () => {
    const problems = checkDependencies(broken((c) => {
      service(c, 'ferry-b').depends_on = { 'kafka-c': { condition: 'service_healthy' } };
      delete service(c, 'mysql').healthcheck;
      service(c, 'minio-init').restart = 'unless-stopped';
    }));
    expectProblem(problems, /ferry-b depends on kafka-c, which is no service/);
    expectProblem(problems, /connectors-a waits for mysql to be healthy, but mysql has no enabled healthcheck/);
    expectProblem(problems, /connectors-a waits for minio-init to complete, but minio-init restarts/);
  });

  it('reports a disabled healthcheck as no healthcheck, and a dependency cycle', () => {
    const problems = checkDependencies(broken((c) => {
      service(c, 'elasticsearch').healthcheck = { test: ['NONE'] };
      service(c, 'kafka-a').depends_on = { 'ferry-a1': { condition: 'service_started' } };
    }));
    expectProblem(problems, /waits for elasticsearch to be healthy, but elasticsearch has no enabled healthcheck/);
    expectProblem(problems, /dependency cycle: .*kafka-a -> ferry-a1 -> kafka-a/);
  });

  it('reports an undeclared named volume and a bind mount of a path the repository lacks', () => {
    const problems = checkVolumes(broken((c) => {
      delete c.volumes!['mysql-data'];
      service(c, 'connectors-a').volumes = ['./deploy/connector/region-a:/etc/ferry/connectors/region-a:ro'];
    }));
    expectProblem(problems, /mysql mounts volume mysql-data, which is not declared/);
    expectProblem(problems, /connectors-a bind-mounts .*deploy\/connector\/region-a, which does not exist/);
  });

  it('reports ports open on every interface and a host port published twice', () => {
    const problems = checkPorts(broken((c) => {
      service(c, 'mysql').ports = ['3306:3306'];
      service(c, 'ferry-a2').ports = ['127.0.0.1:8083:8083'];
    }));
    expectProblem(problems, /mysql publishes 3306 on every interface/);
    expectProblem(problems, /ferry-a2 and ferry-a1 both publish host port 8083|ferry-a1 and ferry-a2 both publish host port 8083/);
  });

  it('reports untagged and moving image tags', () => {
    const problems = checkImages(broken((c) => {
      service(c, 'mysql').image = 'mysql';
      service(c, 'minio').image = 'minio/minio:latest';
      service(c, 'kafka-a').image = 'apache/kafka:edge';
    }));
    expectProblem(problems, /mysql: image mysql has no tag/);
    expectProblem(problems, /minio: image minio\/minio:latest has a moving tag/);
    expectProblem(problems, /kafka-a: image apache\/kafka:edge has a moving tag/);
  });

  it('reports a container-side $VAR that Compose would take from the host, and accepts $$ and defaults', () => {
    const problems = checkDollars(broken((c) => {
      service(c, 'mysql').healthcheck = { test: 'mysql -uferry_cdc -p$MYSQL_PASSWORD -e "SELECT 1"' };
      setEnv(c, 'minio', { MINIO_ROOT_PASSWORD: '${MINIO_PASSWORD}' });
      setEnv(c, 'elasticsearch', { ES_JAVA_OPTS: '$${HEAP} ${ES_HEAP:-512m} ${TAG:?set TAG}' });
    }));
    expectProblem(problems, /'\$MYSQL_PASSWORD'/);
    expectProblem(problems, /'\$\{MINIO_PASSWORD\}'/);
    expect(problems.filter((p) => p.includes('elasticsearch'))).toEqual([]);
  });

  it('reports health checks that call programs the image does not have', () => {
    const problems = checkHealthchecks(broken((c) => {
      service(c, 'kafka-a').healthcheck = { test: ['CMD', 'curl', '-f', 'http://localhost:9092'] };
      service(c, 'minio').healthcheck = { test: 'curl -f http://localhost:9000/minio/health/live' };
      service(c, 'ferry-b').healthcheck = { test: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:8083/health'] };
    }));
    expectProblem(problems, /kafka-a: healthcheck runs 'curl'/);
    expectProblem(problems, /minio: healthcheck runs 'curl'/);
    expectProblem(problems, /ferry-b: healthcheck runs 'wget'/);
  });
});

describe('Kafka', () => {
  it('reports two clusters sharing a CLUSTER_ID, and an id that is no base64 UUID', () => {
    const id = environmentOf(service(compose, 'kafka-a'))['CLUSTER_ID']!;
    expectProblem(checkKafka(broken((c) => setEnv(c, 'kafka-b', { CLUSTER_ID: id }))), /share CLUSTER_ID/);
    expectProblem(checkKafka(broken((c) => setEnv(c, 'kafka-b', { CLUSTER_ID: 'my-cluster' }))), /not a base64 UUID/);
  });

  it('reports an internal listener advertised as localhost, and a host listener whose port is not published', () => {
    const problems = checkKafka(broken((c) => {
      setEnv(c, 'kafka-a', { KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:19092,PLAINTEXT_HOST://localhost:9092' });
      service(c, 'kafka-b').ports = ['127.0.0.1:9292:9092'];
    }));
    expectProblem(problems, /kafka-a: PLAINTEXT is advertised as localhost, not the service name kafka-a/);
    expectProblem(problems, /kafka-b: PLAINTEXT_HOST is advertised as localhost:9192 .* no port publishes 9192/);
  });

  it('reports replication factors above the broker count, a voter that is not the node, and log dirs off the volume', () => {
    const problems = checkKafka(broken((c) => {
      setEnv(c, 'kafka-a', { KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3', KAFKA_LOG_DIRS: '/tmp/kraft-combined-logs' });
      setEnv(c, 'kafka-b', { KAFKA_CONTROLLER_QUORUM_VOTERS: '2@kafka-b:9093' });
    }));
    expectProblem(problems, /kafka-a: KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=3 but the cluster has 1 broker/);
    expectProblem(problems, /kafka-a: log dir \/tmp\/kraft-combined-logs is not on a named volume/);
    expectProblem(problems, /quorum voter 2@kafka-b but kafka-b has KAFKA_NODE_ID 1/);
  });
});

describe('ferry workers', () => {
  it('reports a CONNECT_ variable that is no worker property, and an invalid value', () => {
    const problems = checkFerryWorkers(broken((c) => setEnv(c, 'ferry-b', { CONNECT_GROUPID: 'x', CONNECT_LISTENERS: '0.0.0.0:8083' })));
    expectProblem(problems, /ferry-b: groupid \(from the environment\) is no worker property/);
    expectProblem(problems, /ferry-b: .*listeners/);
  });

  it('reports an advertised host name other than the service name', () => {
    const problems = checkFerryWorkers(broken((c) => setEnv(c, 'ferry-a2', { CONNECT_REST_ADVERTISED_HOST_NAME: 'ferry-a1' })));
    expectProblem(problems, /ferry-a2: CONNECT_REST_ADVERTISED_HOST_NAME is ferry-a1, not ferry-a2/);
  });

  it('reports internal-topic replication factors above the broker count (unset means 3)', () => {
    const problems = checkFerryWorkers(broken((c) => setEnv(c, 'ferry-b', { CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: undefined })));
    expectProblem(problems, /ferry-b: status.storage.replication.factor is 3 but kafka-b has 1 broker/);
  });

  it('reports workers of one group whose environments differ, and bootstrap servers that are no Kafka in the file', () => {
    const problems = checkFerryWorkers(broken((c) => {
      setEnv(c, 'ferry-a3', { FERRY_MYSQL_PASSWORD: undefined });
      setEnv(c, 'ferry-b', { CONNECT_BOOTSTRAP_SERVERS: 'localhost:9192' });
    }));
    expectProblem(problems, /group ferry-region-a: ferry-a3's environment differs from ferry-a1's in FERRY_MYSQL_PASSWORD/);
    expectProblem(problems, /ferry-b: bootstrap.servers localhost:9192 is not the in-network listener/);
  });

  it('reports two Connect groups sharing internal topics on one Kafka cluster', () => {
    const problems = checkFerryWorkers(broken((c) => {
      setEnv(c, 'ferry-b', { CONNECT_BOOTSTRAP_SERVERS: 'kafka-a:19092' });
      service(c, 'ferry-b').depends_on = { 'kafka-a': { condition: 'service_healthy' } };
    }));
    expectProblem(problems, /groups ferry-region-a and ferry-region-b share config.storage.topic=connect-configs/);
  });

  it('reports a worker that does not wait for its Kafka, and a healthcheck that is not ferry health', () => {
    const problems = checkFerryWorkers(broken((c) => {
      service(c, 'ferry-a1').depends_on = [];
      service(c, 'ferry-a2').healthcheck = { test: ['CMD', 'node', '-e', 'process.exit(0)'] };
    }));
    expectProblem(problems, /ferry-a1: does not wait for its Kafka kafka-a to be healthy/);
    expectProblem(problems, /ferry-a2: the healthcheck does not run `ferry health`/);
  });
});

describe('connectors apply one-shots and connector files', () => {
  it('reports a one-shot aimed at a wrong port, not waiting for every worker of the cluster, or applying an unmounted folder', () => {
    const problems = checkConnectorsApply(broken((c) => {
      service(c, 'connectors-a').command = ['connectors', 'apply', '-f', '/etc/ferry/connectors/region-a', '--url', 'http://ferry-a1:8084'];
      const deps = { ...(service(c, 'connectors-a').depends_on as Record<string, { condition: string }>) };
      delete deps['ferry-a3'];
      service(c, 'connectors-a').depends_on = deps;
      service(c, 'connectors-b').command = ['connectors', 'apply', '-f', '/connectors/region-b', '--url', 'http://ferry-b:8083'];
      service(c, 'connectors-b').restart = 'on-failure';
    }));
    expectProblem(problems, /connectors-a: --url http:\/\/ferry-a1:8084 is not ferry-a1's REST port 8083/);
    expectProblem(problems, /connectors-a: does not wait for ferry-a3/);
    expectProblem(problems, /connectors-b: -f \/connectors\/region-b is not inside a bind mount/);
    expectProblem(problems, /connectors-b: a one-shot needs restart "no"/);
  });

  it('reports a ${env:...} secret that the workers running the file do not have', () => {
    const problems = checkConnectorFiles(broken((c) => {
      for (const worker of ['ferry-a1', 'ferry-a2', 'ferry-a3']) setEnv(c, worker, { FERRY_S3_SECRET_KEY: undefined });
    }));
    expectProblem(problems, /region-a\/s3-backup.json .*aws.secret.access.key needs \$\{env:FERRY_S3_SECRET_KEY\}, which ferry-a1's environment does not set/);
  });

  it('reports the restore file for region B when no secret reaches ferry-b, and a folder no one-shot mounts', () => {
    const problems = checkConnectorFiles(broken((c) => {
      setEnv(c, 'ferry-b', { FERRY_S3_ACCESS_KEY: undefined });
      service(c, 'connectors-b').volumes = ['./deploy/connectors/region-b:/etc/ferry/connectors/region-b:ro'];
    }));
    expectProblem(problems, /restore\/s3-restore.json: no connectors apply service mounts it/);
    const withoutKey = checkConnectorFiles(broken((c) => setEnv(c, 'ferry-b', { FERRY_S3_ACCESS_KEY: undefined })));
    expectProblem(withoutKey, /restore\/s3-restore.json .*FERRY_S3_ACCESS_KEY/);
  });

  it('reports the config provider missing on the workers', () => {
    const problems = checkConnectorFiles(broken((c) => {
      for (const worker of ['ferry-a1', 'ferry-a2', 'ferry-a3']) setEnv(c, worker, { CONNECT_CONFIG_PROVIDERS: undefined });
    }));
    expectProblem(problems, /mysql-cdc.json .*database.password uses config provider 'env', which ferry-a1 does not declare/);
  });

  it('reports region A\'s folder applied to region B\'s cluster', () => {
    const problems = checkConnectorFiles(broken((c) => {
      service(c, 'connectors-a').command = ['connectors', 'apply', '-f', '/etc/ferry/connectors/region-a', '--url', 'http://ferry-b:8083'];
    }));
    expectProblem(problems, /mysql-cdc.json \(run by ferry-b\): schema.history.internal.kafka.bootstrap.servers=kafka-a:19092 is not the Kafka cluster its workers use \(kafka-b\)/);
    expectProblem(problems, /mysql-cdc.json \(run by ferry-b\): .*FERRY_MYSQL_PASSWORD/);
  });

  it('reports MirrorMaker\'s connectors run by the source region\'s cluster (they must run next to their target)', () => {
    const problems = checkConnectorFiles(broken((c) => {
      service(c, 'connectors-b').command = ['connectors', 'apply', '-f', '/etc/ferry/connectors/region-b', '--url', 'http://ferry-a1:8083'];
    }));
    expectProblem(problems, /mirror-source.json \(run by ferry-a1, ferry-a2, ferry-a3\): target.cluster.bootstrap.servers=kafka-b:19092 is not the Kafka cluster its workers use \(kafka-a\)/);
  });

  it('reports connectors applied before the systems they use are ready, and addresses no service answers', () => {
    const problems = checkConnectorFiles(broken((c) => {
      const deps = { ...(service(c, 'connectors-a').depends_on as Record<string, { condition: string }>) };
      delete deps['elasticsearch'];
      deps['minio-init'] = { condition: 'service_started' };
      service(c, 'connectors-a').depends_on = deps;
      delete (service(c, 'connectors-b').depends_on as Record<string, unknown>)['kafka-a'];
      service(c, 'elasticsearch').ports = ['127.0.0.1:9201:9201'];
    }));
    expectProblem(problems, /elasticsearch-sink.json .*connectors-a applies it without waiting for elasticsearch to be healthy/);
    expectProblem(problems, /s3-backup.json .*connectors-a applies it without waiting for minio to be healthy/);
    expectProblem(problems, /mirror-source.json .*connectors-b applies it without waiting for kafka-a, which it reads from/);
    expectProblem(problems, /elasticsearch-sink.json .*connection.url uses port 9200, which elasticsearch does not serve/);
  });

  it('reports replication factors in connector files above the broker count', () => {
    const files = connectorFiles().map((f) => (f.file.endsWith('mirror-source.json') ? { ...f, config: { ...f.config, 'replication.factor': '3' } } : f));
    expectProblem(checkConnectorFiles(compose, files), /mirror-source.json .*replication.factor=3 but kafka-.* has 1 broker/);
  });
});

describe('MySQL, MinIO, Elasticsearch', () => {
  it('reports a MySQL healthcheck whose login the init SQL does not create, or that uses the socket', () => {
    const wrongPassword = checkMysql(broken((c) => {
      service(c, 'mysql').healthcheck = { test: ['CMD', 'mysql', '-h127.0.0.1', '-uferry_cdc', '-pchange-me', '-e', 'SELECT 1 FROM inventory.customers LIMIT 1'] };
    }));
    expectProblem(wrongPassword, /the healthcheck's password for ferry_cdc is not the one the init SQL sets/);
    const socket = checkMysql(broken((c) => {
      service(c, 'mysql').healthcheck = { test: ['CMD', 'mysql', '-hlocalhost', '-uroot', '-pferry-root-secret', '-e', 'SELECT 1'] };
    }));
    expectProblem(socket, /logs in as root, whom the init SQL does not create/);
    expectProblem(socket, /must connect over TCP/);
    expectProblem(socket, /reads no table of the init SQL/);
  });

  it('reports missing CDC flags and the option MySQL 8.4 removed', () => {
    const problems = checkMysql(broken((c) => {
      service(c, 'mysql').command = ['--server-id=1', '--log-bin=mysql-bin', '--binlog-format=ROW', '--default-authentication-plugin=mysql_native_password'];
    }));
    expectProblem(problems, /command lacks --binlog-row-image/);
    expectProblem(problems, /command lacks --gtid-mode/);
    expectProblem(problems, /default_authentication_plugin no longer exists/);
  });

  it('reports a CDC password in the workers\' environment that is not the SQL user\'s', () => {
    const problems = checkMysql(broken((c) => {
      for (const worker of ['ferry-a1', 'ferry-a2', 'ferry-a3']) setEnv(c, worker, { FERRY_MYSQL_PASSWORD: 'secret' });
    }));
    expectProblem(problems, /mysql-cdc.json: database.password does not resolve to ferry_cdc's password/);
  });

  it('reports S3 keys and bucket that do not match MinIO and its init one-shot', () => {
    const problems = checkObjectStore(broken((c) => {
      setEnv(c, 'minio', { MINIO_ROOT_PASSWORD: 'another-secret' });
      service(c, 'minio-init').command = ['mb', '--ignore-existing', 'local/backups'];
    }));
    expectProblem(problems, /s3-backup.json: the AWS keys do not resolve to minio's credentials/);
    expectProblem(problems, /minio-init: MC_HOST_local does not carry minio's root credentials/);
    expectProblem(problems, /s3-backup.json: bucket ferry-backup is not created by any mc one-shot/);
  });

  it('reports Elasticsearch with security on for a plain-HTTP sink, and a wait for green', () => {
    const problems = checkElasticsearch(broken((c) => {
      setEnv(c, 'elasticsearch', { 'xpack.security.enabled': 'true' });
      service(c, 'elasticsearch').healthcheck = { test: ['CMD', 'curl', '-fs', 'http://localhost:9200/_cluster/health?wait_for_status=green'] };
    }));
    expectProblem(problems, /elasticsearch-sink.json: elasticsearch has security on/);
    expectProblem(problems, /never turns green/);
  });
});
