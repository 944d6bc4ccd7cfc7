"""A confluent_kafka ShareConsumer (KIP-932) for the share-partition tests
(tests/share_fetch.rs), in explicit acknowledgement mode.

usage: share_queue.py BOOTSTRAP GROUP TOPIC ACK [MAX_POLL_RECORDS]

ACK is what the member does with each record: accept, release or reject
(each acknowledged, then committed with commit_sync after every poll), or
hold (never acknowledged: the records stay locked until the member dies
or the lock expires).

Prints one JSON object per line: {"ready": true} once subscribed; for each
record {"o": offset, "v": value, "n": delivery count}; after each
commit_sync, {"acked": [offsets], "failed": [offsets]} with the offsets of
that poll whose acknowledgement the broker confirmed or refused;
{"error": "..."} for errors. SIGTERM closes the consumer; the last line is
then {"closed": true}.
"""

import json
import signal
import sys

from confluent_kafka import AcknowledgeType, ShareConsumer

bootstrap, group, topic, ack = sys.argv[1:5]
max_poll = sys.argv[5] if len(sys.argv) > 5 else "500"
consumer = ShareConsumer(
    {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "share.acknowledgement.mode": "explicit",
        "max.poll.records": max_poll,
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
kinds = {
    "accept": AcknowledgeType.ACCEPT,
    "release": AcknowledgeType.RELEASE,
    "reject": AcknowledgeType.REJECT,
}
while running:
    try:
        messages = consumer.poll(0.2) or []
    except Exception as e:  # noqa: BLE001 - reported, the loop goes on
        say({"error": str(e)})
        continue
    offsets = []
    for msg in messages:
        if msg.error():
            say({"error": str(msg.error())})
            continue
        value = msg.value()
        say(
            {
                "o": msg.offset(),
                "v": value.decode() if value is not None else None,
                "n": msg.delivery_count(),
            }
        )
        if ack != "hold":
            consumer.acknowledge(msg, kinds[ack])
            offsets.append(msg.offset())
    if offsets:
        try:
            results = consumer.commit_sync(10)
            failed = any(err is not None for err in results.values())
        except Exception as e:  # noqa: BLE001 - reported as a failed commit
            say({"error": str(e)})
            failed = True
        if failed:
            say({"acked": [], "failed": offsets})
        else:
            say({"acked": offsets, "failed": []})
consumer.close()
say({"closed": True})
