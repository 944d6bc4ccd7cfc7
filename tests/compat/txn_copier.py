"""A confluent_kafka consume-transform-produce copier, exactly once.

usage: txn_copier.py BOOTSTRAP INPUT OUTPUT GROUP TRANSACTIONAL_ID BATCH

Reads INPUT read_committed as member of GROUP and writes each record's value,
prefixed with "copy:", to OUTPUT, BATCH records to a transaction, with the
consumed offsets committed in the same transaction
(send_offsets_to_transaction). Killed at any point and started again, it
goes on from the offsets the last committed transaction stored: the output
holds each input record exactly once.

Prints {"committed": n} after each commit (n records in it), and
{"done": true} and exits 0 once its position has reached the end of every
input partition (the input is not written to while it runs).
"""

import json
import sys

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

bootstrap, source, target, group, transactional_id, batch = sys.argv[1:7]
batch = int(batch)


def say(obj):
    print(json.dumps(obj), flush=True)


consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
    "isolation.level": "read_committed",
    "session.timeout.ms": 6000,
    "heartbeat.interval.ms": 500,
})
producer = Producer({
    "bootstrap.servers": bootstrap,
    "transactional.id": transactional_id,
    "transaction.timeout.ms": 10000,
    "linger.ms": 5,
})
# Fences a killed predecessor and aborts the transaction it left open.
producer.init_transactions(30)
consumer.subscribe([source])


def at_end():
    """Whether every assigned partition's position is at its high watermark."""
    assignment = consumer.assignment()
    if not assignment:
        return False
    for tp in consumer.position(assignment):
        _, high = consumer.get_watermark_offsets(tp, timeout=10)
        if tp.offset < 0 or tp.offset < high:
            return False
    return True


def rewind():
    """Back to the committed offsets, after an aborted transaction."""
    assignment = consumer.assignment()
    committed = consumer.committed(assignment, timeout=10)
    for tp in committed:
        if tp.offset >= 0:
            consumer.seek(tp)
        else:
            consumer.seek(TopicPartition(tp.topic, tp.partition, 0))


while True:
    msgs = consumer.consume(batch, 1.0)
    msgs = [m for m in msgs if not m.error()]
    if not msgs:
        if at_end():
            say({"done": True})
            break
        continue
    producer.begin_transaction()
    try:
        for m in msgs:
            producer.produce(target, key=m.key(), value=b"copy:" + m.value())
        producer.send_offsets_to_transaction(
            consumer.position(consumer.assignment()),
            consumer.consumer_group_metadata(),
            30,
        )
        producer.commit_transaction(30)
    except KafkaException as e:
        error = e.args[0]
        if error.fatal():
            raise
        say({"aborted": str(error)})
        producer.abort_transaction(30)
        rewind()
        continue
    say({"committed": len(msgs)})

consumer.close()
