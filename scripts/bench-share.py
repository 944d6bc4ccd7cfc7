#!/usr/bin/env python3
"""Share group against classic group on one partition (docs/bench-share.md).

usage: bench-share.py BOOTSTRAP TOPIC RECORDS BROKER_PID MODE [MEMBERS]

MODE is `share` (MEMBERS confluent-kafka ShareConsumers, default 3, in a new
share group that starts at the earliest record) or `classic` (one
confluent-kafka Consumer in a new classic group, from the earliest record).
The readers run until RECORDS records were read in all; prints one JSON line:
records, seconds (first record to last), records/s, each member's count,
and the broker's CPU seconds (user + system, from /proc) over the run.
"""

import json
import multiprocessing as mp
import os
import sys
import time
import uuid

from confluent_kafka import Consumer, ShareConsumer
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

bootstrap, topic, total, pid, mode = sys.argv[1:6]
total = int(total)
members = int(sys.argv[6]) if len(sys.argv) > 6 else 3


def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def share_member(group, counter, first, done, out):
    c = ShareConsumer({"bootstrap.servers": bootstrap, "group.id": group})
    c.subscribe([topic])
    mine = 0
    offsets = []
    while not done.is_set():
        msgs = [m for m in (c.poll(0.5) or []) if not m.error()]
        offsets.extend(m.offset() for m in msgs)
        n = len(msgs)
        if n:
            with counter.get_lock():
                if first.value == 0:
                    first.value = time.time()
                counter.value += n
                if counter.value >= total:
                    done.set()
            mine += n
    c.close()
    out.put((mine, offsets))


def classic(group):
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
        }
    )
    c.subscribe([topic])
    n, first = 0, None
    while n < total:
        for m in c.consume(500, 0.5):
            if m.error():
                continue
            if first is None:
                first = time.time()
            n += 1
    last = time.time()
    c.close()
    return n, first, last


group = f"bench-{mode}-{uuid.uuid4().hex[:8]}"
cpu0 = cpu_seconds()
if mode == "share":
    admin = AdminClient({"bootstrap.servers": bootstrap})
    resource = ConfigResource(ResourceType.GROUP, group, set_config={"share.auto.offset.reset": "earliest"})
    for f in admin.alter_configs([resource]).values():  # GROUP configs: dq serves both
        f.result()
    counter, first = mp.Value("q", 0), mp.Value("d", 0.0)
    done, out = mp.Event(), mp.Queue()
    procs = [mp.Process(target=share_member, args=(group, counter, first, done, out)) for _ in range(members)]
    for p in procs:
        p.start()
    done.wait()
    last = time.time()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    counts = sorted(r[0] for r in results)
    seen = [o for r in results for o in r[1]]
    distinct = len(set(seen))
    n, start = counter.value, first.value
else:
    n, start, last = classic(group)
    counts = [n]
    distinct = n
cpu = cpu_seconds() - cpu0
seconds = last - start
print(
    json.dumps(
        {
            "mode": mode,
            "records": n,
            "distinct_offsets": distinct,
            "seconds": round(seconds, 3),
            "records_per_sec": round(n / seconds),
            "members": counts,
            "broker_cpu_seconds": round(cpu, 2),
        }
    )
)
