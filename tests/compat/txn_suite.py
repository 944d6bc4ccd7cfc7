"""Transactions with kafka-python 3 and confluent_kafka against dq serve.

usage: txn_suite.py BOOTSTRAP CASE [ARG]

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


def copy():
    """confluent_kafka consume-transform-produce: copies ctp-in to ctp-out
    in transactions of up to 10 records, each with the consumer's offsets
    (send_offsets_to_transaction), printing "committed N" after each, until
    ARG records are copied. Run again after a SIGKILL, it fences its previous
    self and goes on from the committed offsets: exactly once."""
    from confluent_kafka import Consumer, Producer, TopicPartition

    total = int(sys.argv[3])
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "copier",
        # A restarted copier takes its own place without a rebalance.
        "group.instance.id": "copier-1",
        "session.timeout.ms": 6000,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    consumer.subscribe(["ctp-in"])
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": "copier"})
    producer.init_transactions(60)
    copied = 0
    while True:
        msgs = [m for m in consumer.consume(10, 0.5) if not m.error()]
        if msgs:
            producer.begin_transaction()
            for m in msgs:
                producer.produce("ctp-out", m.value(), key=m.key())
            producer.send_offsets_to_transaction(
                consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 60)
            producer.commit_transaction(60)
            copied += len(msgs)
            print(f"committed {copied}", flush=True)
        position = consumer.position([TopicPartition("ctp-in", 0)])[0].offset
        if position >= total:
            break
    consumer.close()
    print(json.dumps({"position": position}))


def read_out():
    """Every committed value of ctp-out, read_committed, up to its end."""
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "verifier",
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "isolation.level": "read_committed",
    })
    consumer.assign([TopicPartition("ctp-out", 0, 0)])
    values = []
    import time
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == -191:  # _PARTITION_EOF
                break
            fail("confluent_kafka", "consume", msg.error())
        values.append(msg.value().decode())
    else:
        fail("confluent_kafka", "consume", "no end of partition within 60 s")
    consumer.close()
    print(json.dumps({"values": values}))


cases = {"kafka_python": kafka_python, "fencing": fencing, "copy": copy, "read_out": read_out}
if name not in cases:
    fail("txn_suite", "case", f"unknown case {name}")
cases[name]()
