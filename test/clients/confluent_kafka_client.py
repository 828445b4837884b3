"""Drives the broker with confluent-kafka (Debian's python3-confluent-kafka on librdkafka).

usage: confluent_kafka_client.py produce BOOTSTRAP TOPIC COUNT CODEC [idempotent]
       confluent_kafka_client.py consume BOOTSTRAP TOPIC COUNT GROUP
       confluent_kafka_client.py admin BOOTSTRAP TOPIC
       confluent_kafka_client.py member BOOTSTRAP TOPIC GROUP CLIENT_ID
Prints one JSON object per line.

member: a group member with only the range assignor (session 6 s, heartbeat 100 ms) that
consumes until its standard input closes, then leaves the group. Prints {"assigned": [...]}
and {"revoked": [...]} (partition numbers of TOPIC) on every rebalance, each record as
`consume` does, and {"error": "..."} if it fails; the same lines as kafka_python_client.py's
member, so one test helper reads both.
"""
import json
import sys

from confluent_kafka import Consumer, KafkaError, Producer
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


if __name__ == "__main__":
    if sys.argv[1] == "member":
        member(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        sys.exit(0)
    mode, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "produce":
        produce(bootstrap, topic, int(sys.argv[4]), sys.argv[5], len(sys.argv) > 6 and sys.argv[6] == "idempotent")
    elif mode == "consume":
        consume(bootstrap, topic, int(sys.argv[4]), sys.argv[5])
    else:
        admin(bootstrap, topic)
