"""A confluent_kafka ShareConsumer that accepts every record (implicit
acknowledgement), for the `dq consume --share-group` tests.

usage: share_reader.py BOOTSTRAP GROUP TOPIC MAX_POLL_RECORDS

Prints {"ready": true} once subscribed, then {"v": VALUE, "n": DELIVERY
COUNT} per record. SIGTERM closes the consumer (its last acknowledgements
go out and it leaves the group), then it prints {"closed": true}.
"""

import json
import signal
import sys

from confluent_kafka import ShareConsumer

bootstrap, group, topic, max_poll = sys.argv[1:5]
consumer = ShareConsumer(
    {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "max.poll.records": int(max_poll),
    }
)
running = True


def stop(*_):
    global running
    running = False


def say(obj):
    print(json.dumps(obj), flush=True)


signal.signal(signal.SIGTERM, stop)
consumer.subscribe([topic])
say({"ready": True})
while running:
    for msg in consumer.poll(0.2) or []:
        if msg.error():
            say({"error": str(msg.error())})
            continue
        value = msg.value()
        say({"v": value.decode() if value is not None else None, "n": msg.delivery_count()})
consumer.close()
say({"closed": True})
