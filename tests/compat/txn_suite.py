"""Transactions with kafka-python 3 and confluent_kafka against dq serve.

usage: txn_suite.py BOOTSTRAP CASE

Prints one JSON line with the case's findings. A failure prints
"<client> <case>: <API>: <error>" on stderr and exits 1.
"""

import json
import sys

bootstrap, name = sys.argv[1:3]


def fail(client, api, error):
    print(f"{client} {name}: {api}: {error}", file=sys.stderr)
    sys.exit(1)


def read_committed(topic, last, isolation="read_committed"):
    """Values of `topic` from the start until `last`, with confluent_kafka."""
    from confluent_kafka import Consumer

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": f"reader-{isolation}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": isolation,
    })
    consumer.subscribe([topic])
    values = []
    import time
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        values.append(msg.value().decode())
        if values[-1] == last:
            break
    else:
        fail("confluent_kafka", "consume", f"timed out waiting for {last}; got {values}")
    consumer.close()
    return values


def kafka_python():
    """kafka-python 3's transactional producer: commit, abort, commit."""
    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic("py-txn", 1, 1)])
    admin.close()
    try:
        producer = KafkaProducer(bootstrap_servers=bootstrap, transactional_id="py-txn-producer")
        producer.init_transactions()
        producer.begin_transaction()
        producer.send("py-txn", b"committed-1")
        producer.commit_transaction()
        producer.begin_transaction()
        producer.send("py-txn", b"aborted-1")
        producer.flush()
        producer.abort_transaction()
        producer.begin_transaction()
        producer.send("py-txn", b"committed-2")
        producer.commit_transaction()
        producer.close()
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        fail("kafka-python", "transactional producer", repr(e))
    print(json.dumps({
        "committed": read_committed("py-txn", "committed-2"),
        "uncommitted": read_committed("py-txn", "committed-2", "read_uncommitted"),
    }))


def fencing():
    """confluent_kafka: a second producer with the same transactional id
    fences the first, whose open transaction is aborted; the first one's
    commit fails as fenced."""
    from confluent_kafka import KafkaException, Producer

    def producer():
        p = Producer({"bootstrap.servers": bootstrap, "transactional.id": "py-fenced"})
        p.init_transactions(30)
        return p

    first = producer()
    first.begin_transaction()
    first.produce("py-fence", b"from-the-fenced-producer")
    first.flush(30)
    second = producer()
    error = None
    try:
        first.commit_transaction(30)
    except KafkaException as e:
        error = e.args[0]
    second.begin_transaction()
    second.produce("py-fence", b"from-the-new-producer")
    second.commit_transaction(30)
    print(json.dumps({
        "first_commit_error": error.name() if error else None,
        "fatal": bool(error and error.fatal()),
        "committed": read_committed("py-fence", "from-the-new-producer"),
    }))


cases = {"kafka_python": kafka_python, "fencing": fencing}
if name not in cases:
    fail("txn_suite", "case", f"unknown case {name}")
cases[name]()
