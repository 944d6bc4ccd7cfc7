"""A confluent_kafka group member for the consumer-group tests.

usage: group_member.py BOOTSTRAP GROUP TOPIC

Prints one JSON object per line: {"assigned": [partitions]} on each
assignment, {"p": partition, "o": offset, "v": value} for each record (before
committing it), then {"committed": [partition, next offset]} once the
synchronous commit returned. SIGTERM closes the consumer cleanly.
"""

import json
import signal
import sys

from confluent_kafka import Consumer

bootstrap, group, topic = sys.argv[1:4]
consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
    "session.timeout.ms": 6000,
    "heartbeat.interval.ms": 500,
})
running = True


def stop(*_):
    global running
    running = False


def say(obj):
    print(json.dumps(obj), flush=True)


signal.signal(signal.SIGTERM, stop)
consumer.subscribe(
    [topic],
    on_assign=lambda c, ps: say({"assigned": sorted(p.partition for p in ps)}),
)
while running:
    msg = consumer.poll(0.2)
    if msg is None:
        continue
    if msg.error():
        say({"error": str(msg.error())})
        continue
    say({"p": msg.partition(), "o": msg.offset(), "v": msg.value().decode()})
    consumer.commit(message=msg, asynchronous=False)
    say({"committed": [msg.partition(), msg.offset() + 1]})
consumer.close()
