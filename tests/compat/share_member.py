"""A confluent_kafka ShareConsumer (KIP-932 share group member), for the
share-group tests.

usage: share_member.py BOOTSTRAP GROUP TOPIC [ACK] [MAX]

ACK is what the member does with each record it gets: accept (default),
release or reject (explicit acknowledgement mode). The member stops after
MAX records (default: runs until SIGTERM).

Prints one JSON object per line: {"ready": true} once subscribed, then
{"p", "o", "v", "n"} for each record (n: its delivery count), and
{"error": "..."} for errors the client reports. SIGTERM closes the consumer,
which leaves the group; the last line is {"closed": true}.
"""

import json
import signal
import sys

from confluent_kafka import AcknowledgeType, ShareConsumer

bootstrap, group, topic = sys.argv[1:4]
ack = sys.argv[4] if len(sys.argv) > 4 else "accept"
limit = int(sys.argv[5]) if len(sys.argv) > 5 else None
config = {
    "bootstrap.servers": bootstrap,
    "group.id": group,
}
if ack != "accept":
    config["share.acknowledgement.mode"] = "explicit"
consumer = ShareConsumer(config)
running = True


def stop(*_):
    global running
    running = False


def say(obj):
    print(json.dumps(obj), flush=True)


signal.signal(signal.SIGTERM, stop)
consumer.subscribe([topic])
say({"ready": True})
seen = 0
kinds = {
    "accept": AcknowledgeType.ACCEPT,
    "release": AcknowledgeType.RELEASE,
    "reject": AcknowledgeType.REJECT,
}
while running and (limit is None or seen < limit):
    for msg in consumer.poll(0.2) or []:
        if msg.error():
            say({"error": str(msg.error())})
            continue
        value = msg.value()
        say(
            {
                "p": msg.partition(),
                "o": msg.offset(),
                "v": value.decode() if value is not None else None,
                "n": msg.delivery_count(),
            }
        )
        if ack != "accept":
            consumer.acknowledge(msg, kinds[ack])
        seen += 1
if ack != "accept":
    consumer.commit_sync()
consumer.close()
say({"closed": True})
