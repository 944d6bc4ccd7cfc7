"""A confluent_kafka consumer with group.protocol=consumer (KIP-848), for the
consumer-group-protocol tests.

usage: kip848_member.py BOOTSTRAP GROUP TOPIC [INSTANCE_ID]

TOPIC may be a regex subscription (starting with ^).

Prints one JSON object per line, each with "t", the wall-clock time in
nanoseconds, so that lines of several members can be ordered:
{"assigned": [[topic, partition], ...]} and {"revoked": [...]} / {"lost": [...]} as the
rebalance callbacks report them (revocation is printed before the client
gives the partitions up), {"p", "o", "v"} for each record, then
{"committed": [partition, next offset]} once its synchronous commit returned,
or {"commit_error": "..."}. SIGTERM closes the consumer, which leaves the group.
"""

import json
import signal
import sys
import time

from confluent_kafka import Consumer, KafkaException

bootstrap, group, topic = sys.argv[1:4]
config = {
    "bootstrap.servers": bootstrap,
    "group.id": group,
    "group.protocol": "consumer",
    "auto.offset.reset": "earliest",
    "enable.auto.commit": False,
}
if len(sys.argv) > 4:
    config["group.instance.id"] = sys.argv[4]
consumer = Consumer(config)
running = True


def stop(*_):
    global running
    running = False


def say(obj):
    obj["t"] = time.time_ns()
    print(json.dumps(obj), flush=True)


def partitions(ps):
    return sorted([p.topic, p.partition] for p in ps)


signal.signal(signal.SIGTERM, stop)
consumer.subscribe(
    [topic],
    on_assign=lambda c, ps: say({"assigned": partitions(ps)}),
    on_revoke=lambda c, ps: say({"revoked": partitions(ps)}),
    on_lost=lambda c, ps: say({"lost": partitions(ps)}),
)
while running:
    msg = consumer.poll(0.1)
    if msg is None:
        continue
    if msg.error():
        say({"error": str(msg.error())})
        continue
    say({"topic": msg.topic(), "p": msg.partition(), "o": msg.offset(),
         "v": msg.value().decode()})
    try:
        consumer.commit(message=msg, asynchronous=False)
        say({"committed": [msg.partition(), msg.offset() + 1]})
    except KafkaException as e:
        say({"commit_error": str(e)})
consumer.close()
say({"closed": True})
