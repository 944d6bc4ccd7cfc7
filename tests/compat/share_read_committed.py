"""share.isolation.level=read_committed for a share group: a transactional
producer aborts one transaction, commits one and leaves one open; a
ShareConsumer gets the committed records only, then the third transaction's
once it commits.

usage: share_read_committed.py BOOTSTRAP TOPIC GROUP

Prints {"before": [values], "after": [values]} (values in offset order).
"""

import json
import sys
import time

from confluent_kafka import Producer, ShareConsumer

bootstrap, topic, group = sys.argv[1:4]
p = Producer({"bootstrap.servers": bootstrap, "transactional.id": "share-rc"})
p.init_transactions()
for kind, end in (("aborted", p.abort_transaction), ("committed", p.commit_transaction)):
    p.begin_transaction()
    for i in range(5):
        p.produce(topic, f"{kind}{i}")
    p.flush()
    end()
p.begin_transaction()
for i in range(5):
    p.produce(topic, f"open{i}")
p.flush()

c = ShareConsumer({"bootstrap.servers": bootstrap, "group.id": group})
c.subscribe([topic])
got = {}


def poll_until(done, timeout):
    end = time.time() + timeout
    while time.time() < end and not done():
        for m in c.poll(0.2) or []:
            if not m.error():
                got[m.offset()] = m.value().decode()


# The committed ones; then a little longer, for anything that should not come.
poll_until(lambda: len(got) >= 5, 60)
poll_until(lambda: False, 2)
before = [got[o] for o in sorted(got)]
p.commit_transaction()
poll_until(lambda: len(got) >= 10, 60)
c.close()
print(json.dumps({"before": before, "after": [got[o] for o in sorted(got)]}))
