"""Drives the broker with kafka-python (Debian's python3-kafka), a client nobody here wrote.

usage: kafka_python_client.py produce BOOTSTRAP TOPIC COUNT CODEC
       kafka_python_client.py consume BOOTSTRAP TOPIC COUNT GROUP
       kafka_python_client.py member BOOTSTRAP TOPIC GROUP CLIENT_ID
Prints one JSON object per line: produced offsets, or consumed records.

member: a group member with only the range assignor (session 6 s, heartbeat 100 ms) that
consumes until its standard input closes, then leaves the group. Prints {"assigned": [...]}
and {"revoked": [...]} (partition numbers of TOPIC) on every rebalance, each record as
`consume` does, and {"error": "..."} if it fails.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.coordinator.assignors.range import RangePartitionAssignor
from stdin_eof import stdin_closed


def _record(msg):
    """A consumed record as the tests read it."""
    return {
        "partition": msg.partition,
        "offset": msg.offset,
        "key": msg.key.decode() if msg.key is not None else None,
        "value": msg.value.decode() if msg.value is not None else None,
        "headers": [[k, v.decode()] for k, v in (msg.headers or [])],
    }


def produce(bootstrap, topic, count, codec):
    producer = KafkaProducer(
        bootstrap_servers=bootstrap,
        compression_type=None if codec == "none" else codec,
        acks="all",
        linger_ms=5,
    )
    futures = []
    for i in range(count):
        futures.append(producer.send(
            topic,
            key=("key-%d" % i).encode(),
            value=("value-%d" % i).encode(),
            headers=[("source", b"kafka-python"), ("index", str(i).encode())],
        ))
    producer.flush()
    for f in futures:
        md = f.get(timeout=30)
        print(json.dumps({"partition": md.partition, "offset": md.offset}))
    producer.close()


def consume(bootstrap, topic, count, group):
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20000,
    )
    seen = 0
    for msg in consumer:
        print(json.dumps(_record(msg)))
        seen += 1
        if seen >= count:
            break
    consumer.commit()
    consumer.close()


class _Reporter(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        print(json.dumps({"revoked": sorted(tp.partition for tp in revoked)}), flush=True)

    def on_partitions_assigned(self, assigned):
        print(json.dumps({"assigned": sorted(tp.partition for tp in assigned)}), flush=True)


def member(bootstrap, topic, group, client_id):
    closed = stdin_closed()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        partition_assignment_strategy=[RangePartitionAssignor],
        session_timeout_ms=6000,
        heartbeat_interval_ms=100,
        fetch_max_wait_ms=100,
        retry_backoff_ms=50,
    )
    try:
        consumer.subscribe([topic], listener=_Reporter())
        while not closed.is_set():
            for records in consumer.poll(timeout_ms=100).values():
                for msg in records:
                    print(json.dumps(_record(msg)), flush=True)
    except Exception as e:  # reported to the test, which fails on it
        print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
    finally:
        consumer.close()


if __name__ == "__main__":
    if sys.argv[1] == "member":
        member(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
        sys.exit(0)
    mode, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "produce":
        produce(bootstrap, topic, count, sys.argv[5])
    else:
        consume(bootstrap, topic, count, sys.argv[5])
