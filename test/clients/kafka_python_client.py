"""Drives the broker with kafka-python (Debian's python3-kafka), a client nobody here wrote.

usage: kafka_python_client.py produce BOOTSTRAP TOPIC COUNT CODEC
       kafka_python_client.py consume BOOTSTRAP TOPIC COUNT GROUP
Prints one JSON object per line: produced offsets, or consumed records.
"""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer


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
        print(json.dumps({
            "partition": msg.partition,
            "offset": msg.offset,
            "key": msg.key.decode() if msg.key is not None else None,
            "value": msg.value.decode() if msg.value is not None else None,
            "headers": [[k, v.decode()] for k, v in (msg.headers or [])],
        }))
        seen += 1
        if seen >= count:
            break
    consumer.commit()
    consumer.close()


if __name__ == "__main__":
    mode, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if mode == "produce":
        produce(bootstrap, topic, count, sys.argv[5])
    else:
        consume(bootstrap, topic, count, sys.argv[5])
