"""Drives the broker with confluent-kafka (Debian's python3-confluent-kafka on librdkafka).

usage: confluent_kafka_client.py produce BOOTSTRAP TOPIC COUNT CODEC [idempotent]
       confluent_kafka_client.py consume BOOTSTRAP TOPIC COUNT GROUP
       confluent_kafka_client.py admin BOOTSTRAP TOPIC
       confluent_kafka_client.py member BOOTSTRAP TOPIC GROUP CLIENT_ID
       confluent_kafka_client.py txn BOOTSTRAP TOPIC TRANSACTIONAL_ID PLAN
       confluent_kafka_client.py fence BOOTSTRAP TOPIC TRANSACTIONAL_ID
       confluent_kafka_client.py hang BOOTSTRAP TOPIC TRANSACTIONAL_ID COUNT TIMEOUT_MS
       confluent_kafka_client.py read BOOTSTRAP TOPIC GROUP ISOLATION
       confluent_kafka_client.py ctp BOOTSTRAP IN OUT GROUP TRANSACTIONAL_ID COUNT subscribe|assign
Prints one JSON object per line.

txn: a transactional producer runs the transactions of PLAN, e.g. "commit:3,abort:2": each
entry produces that many records (key "t<i>-<j>", value "<result>-<i>-<j>") in one transaction
and commits or aborts it, printing {"txn": i, "result": ...}.
fence: producer A opens a transaction and produces; producer B with the same transactional id
initializes (fencing A and aborting its transaction), commits a transaction of its own; then A
tries to produce and commit, printing {"step": ..., "failure": <librdkafka error name>}.
hang: produces COUNT records in a transaction with transaction.timeout.ms TIMEOUT_MS, prints
{"step": "produced"}, waits for its standard input to close, then tries to commit and prints
{"step": "commit", "failure": ...} (null on success).
read: reads TOPIC from the beginning with isolation.level ISOLATION (read_committed or
read_uncommitted) until every partition reports its end (the last stable offset for
read_committed), printing each record as `consume` does.
ctp: consume-transform-produce: a consumer of IN (group GROUP, subscribed or assigned every
partition) and a transactional producer copy COUNT records to OUT upper-cased, one transaction
per polled batch with send_offsets_to_transaction; prints {"committed": n} after each commit and
{"copied": n} at the end.

member: a group member with only the range assignor (session 6 s, heartbeat 100 ms) that
consumes until its standard input closes, then leaves the group. Prints {"assigned": [...]}
and {"revoked": [...]} (partition numbers of TOPIC) on every rebalance, each record as
`consume` does, and {"error": "..."} if it fails; the same lines as kafka_python_client.py's
member, so one test helper reads both.
"""
import json
import sys

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic
from stdin_eof import stdin_closed


def _record(msg):
    """A consumed record as the tests read it."""
    return {
        "partition": msg.partition(),
        "offset": msg.offset(),
        "key": msg.key().decode() if msg.key() is not None else None,
        "value": msg.value().decode() if msg.value() is not None else None,
        "headers": [[k, v.decode()] for k, v in (msg.headers() or [])],
    }


def produce(bootstrap, topic, count, codec, idempotent):
    delivered = []

    def on_delivery(err, msg):
        if err is not None:
            print(json.dumps({"error": str(err)}))
        else:
            delivered.append({"partition": msg.partition(), "offset": msg.offset()})

    producer = Producer({
        "bootstrap.servers": bootstrap,
        "compression.codec": codec,
        "enable.idempotence": idempotent,
        "acks": "all",
        "linger.ms": 5,
    })
    for i in range(count):
        producer.produce(
            topic,
            key=("key-%d" % i).encode(),
            value=("value-%d" % i).encode(),
            headers=[("source", b"confluent-kafka"), ("index", str(i).encode())],
            on_delivery=on_delivery,
        )
        producer.poll(0)
    remaining = producer.flush(30)
    for d in delivered:
        print(json.dumps(d))
    if remaining:
        print(json.dumps({"error": "%d messages not delivered" % remaining}))


def consume(bootstrap, topic, count, group):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([topic])
    seen = 0
    idle = 0
    while seen < count and idle < 40:
        msg = consumer.poll(0.5)
        if msg is None:
            idle += 1
            continue
        if msg.error():
            print(json.dumps({"error": str(msg.error())}))
            continue
        idle = 0
        print(json.dumps(_record(msg)))
        seen += 1
    consumer.commit(asynchronous=False)
    consumer.close()


def admin(bootstrap, topic):
    client = AdminClient({"bootstrap.servers": bootstrap})
    created = client.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1,
                                             config={"cleanup.policy": "compact", "retention.ms": "3600000"})])
    created[topic].result(30)
    print(json.dumps({"step": "created", "topic": topic}))
    md = client.list_topics(timeout=30)
    print(json.dumps({"step": "listed", "partitions": len(md.topics[topic].partitions)}))
    try:
        client.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(30)
        print(json.dumps({"step": "recreated", "code": None}))
    except Exception as e:  # the admin client raises KafkaException(KafkaError)
        print(json.dumps({"step": "recreated", "code": e.args[0].name()}))
    resource = ConfigResource("topic", topic)
    configs = client.describe_configs([resource])[resource].result(30)
    print(json.dumps({"step": "described", "configs": {
        name: {"value": configs[name].value, "source": configs[name].source, "is_default": configs[name].is_default}
        for name in ("cleanup.policy", "retention.ms", "segment.bytes")
    }}))
    client.create_partitions([NewPartitions(topic, 3)])[topic].result(30)
    md = client.list_topics(timeout=30)
    print(json.dumps({"step": "partitions-created", "partitions": len(md.topics[topic].partitions)}))
    client.delete_topics([topic])[topic].result(30)
    print(json.dumps({"step": "deleted", "topic": topic}))
    md = client.list_topics(timeout=30)
    print(json.dumps({"step": "listed-after-delete", "present": topic in md.topics}))


def member(bootstrap, topic, group, client_id):
    closed = stdin_closed()

    def report(key):
        return lambda _consumer, partitions: print(
            json.dumps({key: sorted(tp.partition for tp in partitions)}), flush=True)

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "client.id": client_id,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "partition.assignment.strategy": "range",
        "session.timeout.ms": 6000,
        "heartbeat.interval.ms": 100,
        "fetch.wait.max.ms": 100,
        "retry.backoff.ms": 50,
    })
    try:
        # on_assign: the binding assigns the partitions itself after the callback.
        consumer.subscribe([topic], on_assign=report("assigned"), on_revoke=report("revoked"),
                           on_lost=report("revoked"))
        while not closed.is_set():
            msg = consumer.poll(0.1)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    print(json.dumps({"error": str(msg.error())}), flush=True)
                continue
            print(json.dumps(_record(msg)), flush=True)
    except Exception as e:  # reported to the test, which fails on it
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
    finally:
        consumer.close()


def _txn_producer(bootstrap, transactional_id, **extra):
    config = {
        "bootstrap.servers": bootstrap,
        "transactional.id": transactional_id,
        "linger.ms": 5,
        "retry.backoff.ms": 50,
    }
    config.update(extra)
    producer = Producer(config)
    producer.init_transactions(30)
    return producer


def _error_name(e):
    """The librdkafka error name of a KafkaException (e.g. "_FENCED")."""
    err = e.args[0] if e.args else None
    return err.name() if isinstance(err, KafkaError) else str(e)


def txn(bootstrap, topic, transactional_id, plan):
    producer = _txn_producer(bootstrap, transactional_id)
    for i, step in enumerate(plan.split(",")):
        result, count = step.split(":")
        producer.begin_transaction()
        for j in range(int(count)):
            producer.produce(topic, key=("t%d-%d" % (i, j)).encode(), value=("%s-%d-%d" % (result, i, j)).encode())
        producer.flush(30)
        if result == "commit":
            producer.commit_transaction(30)
        else:
            producer.abort_transaction(30)
        print(json.dumps({"txn": i, "result": result}), flush=True)


def fence(bootstrap, topic, transactional_id):
    old = _txn_producer(bootstrap, transactional_id)
    old.begin_transaction()
    old.produce(topic, key=b"old", value=b"old-0")
    old.flush(30)
    print(json.dumps({"step": "old-produced"}), flush=True)
    new = _txn_producer(bootstrap, transactional_id)
    print(json.dumps({"step": "new-initialized"}), flush=True)
    new.begin_transaction()
    new.produce(topic, key=b"new", value=b"new-0")
    new.commit_transaction(30)
    print(json.dumps({"step": "new-committed"}), flush=True)
    errors = []
    try:
        old.produce(topic, key=b"old", value=b"old-1", on_delivery=lambda err, _msg: errors.append(err))
        old.flush(30)
        old.commit_transaction(30)
        print(json.dumps({"step": "old-commit", "failure": None}), flush=True)
    except KafkaException as e:
        print(json.dumps({"step": "old-commit", "failure": _error_name(e), "fatal": e.args[0].fatal(),
                          "delivery": [err.name() if err else None for err in errors]}), flush=True)


def hang(bootstrap, topic, transactional_id, count, timeout_ms):
    closed = stdin_closed()
    producer = _txn_producer(bootstrap, transactional_id, **{"transaction.timeout.ms": timeout_ms})
    producer.begin_transaction()
    for j in range(count):
        producer.produce(topic, key=("h-%d" % j).encode(), value=("hung-%d" % j).encode())
    producer.flush(30)
    print(json.dumps({"step": "produced"}), flush=True)
    closed.wait()
    try:
        producer.commit_transaction(30)
        print(json.dumps({"step": "commit", "failure": None}), flush=True)
    except KafkaException as e:
        print(json.dumps({"step": "commit", "failure": _error_name(e)}), flush=True)


def read(bootstrap, topic, group, isolation):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "isolation.level": isolation,
        "fetch.wait.max.ms": 100,
    })
    partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, -2) for p in partitions])
    at_end = set()
    while len(at_end) < len(partitions):
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                at_end.add(msg.partition())
            else:
                print(json.dumps({"error": str(msg.error())}), flush=True)
            continue
        at_end.discard(msg.partition())
        print(json.dumps(_record(msg)), flush=True)
    consumer.close()


def ctp(bootstrap, source, target, group, transactional_id, count, mode):
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "fetch.wait.max.ms": 100,
    })
    if mode == "subscribe":
        consumer.subscribe([source])
    else:
        partitions = consumer.list_topics(source, timeout=30).topics[source].partitions
        consumer.assign([TopicPartition(source, p) for p in partitions])
    producer = _txn_producer(bootstrap, transactional_id)
    copied = 0
    while copied < count:
        msgs = consumer.consume(num_messages=max(1, min(7, count - copied)), timeout=0.5)
        msgs = [m for m in msgs if not m.error()]
        if not msgs:
            continue
        producer.begin_transaction()
        for m in msgs:
            producer.produce(target, key=m.key(), value=m.value().upper())
        producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                             consumer.consumer_group_metadata(), 30)
        producer.commit_transaction(30)
        copied += len(msgs)
        print(json.dumps({"committed": copied}), flush=True)
    print(json.dumps({"copied": copied}), flush=True)
    consumer.close()


if __name__ == "__main__":
    if sys.argv[1] == "member":
        member(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        sys.exit(0)
    if sys.argv[1] == "txn":
        txn(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        sys.exit(0)
    if sys.argv[1] == "fence":
        fence(sys.argv[2], sys.argv[3], sys.argv[4])
        sys.exit(0)
    if sys.argv[1] == "hang":
        hang(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
        sys.exit(0)
    if sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        sys.exit(0)
    if sys.argv[1] == "ctp":
        ctp(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8])
        sys.exit(0)
    mode, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "produce":
        produce(bootstrap, topic, int(sys.argv[4]), sys.argv[5], len(sys.argv) > 6 and sys.argv[6] == "idempotent")
    elif mode == "consume":
        consume(bootstrap, topic, int(sys.argv[4]), sys.argv[5])
    else:
        admin(bootstrap, topic)
