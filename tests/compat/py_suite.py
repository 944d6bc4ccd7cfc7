"""confluent_kafka and kafka-python against dq serve.

usage: py_suite.py BOOTSTRAP CASE

Prints one JSON line with the case's findings. A failure prints
"<client> <case>: <API>: <error>" on stderr and exits 1, so the CI log names
the client, the API and the error.
"""

import json
import sys
import time

bootstrap, name = sys.argv[1:3]


def fail(client, api, error):
    print(f"{client} {name}: {api}: {error}", file=sys.stderr)
    sys.exit(1)


def wait_for(cond, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")


def seed001():
    """Seed 001: produce() is asynchronous; poll(0) runs the callbacks, flush()
    waits for the rest and returns 0 remaining."""
    from confluent_kafka import Producer

    reports = []

    def callback(err, msg):
        reports.append({"error": str(err) if err else None, "partition": msg.partition(), "offset": msg.offset()})

    producer = Producer({"bootstrap.servers": bootstrap})
    for i in range(100):
        producer.produce("seed-001", value=f"event {i}", callback=callback)
        producer.poll(0)
    remaining = producer.flush()
    errors = [r for r in reports if r["error"]]
    if errors:
        fail("confluent_kafka", "produce", errors[0]["error"])
    print(json.dumps({
        "callbacks": len(reports),
        "remaining": remaining,
        "offsets": sorted(r["offset"] for r in reports),
        "partitions": sorted({r["partition"] for r in reports}),
    }))


def confluent_groups():
    """Two members split the partitions; when one closes, the other takes
    over from the committed offsets."""
    from confluent_kafka import Consumer, Producer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("ck-groups", 2, 1)])["ck-groups"].result()
    producer = Producer({"bootstrap.servers": bootstrap})

    def member():
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": "ck-g", "auto.offset.reset": "earliest",
                      "session.timeout.ms": 6000, "heartbeat.interval.ms": 500, "enable.auto.commit": False})
        c.subscribe(["ck-groups"])
        return c

    a, b = member(), member()
    got = {"a": [], "b": []}

    def poll(c, key):
        m = c.poll(0.05)
        if m is not None and not m.error():
            got[key].append(m.value().decode())
            c.commit(message=m, asynchronous=False)

    # Both members settle first, so no commit meets a rebalance.
    wait_for(lambda: [poll(a, "a"), poll(b, "b")] and len(a.assignment()) == 1 and len(b.assignment()) == 1,
             "each member to own one partition")
    for i in range(20):
        producer.produce("ck-groups", value=f"first-{i}", partition=i % 2)
    producer.flush()
    wait_for(lambda: [poll(a, "a"), poll(b, "b")] and len(got["a"]) + len(got["b"]) >= 20, "20 records split between the members")
    split = [len(a.assignment()), len(b.assignment())]
    counts = [len(got["a"]), len(got["b"])]
    b.close()
    for i in range(10):
        producer.produce("ck-groups", value=f"second-{i}", partition=i % 2)
    producer.flush()
    wait_for(lambda: [poll(a, "a")] and len(got["a"]) >= counts[0] + 10, "the survivor to read the new records")
    again = [v for v in got["a"][counts[0]:] if v.startswith("first-")]
    a.close()
    print(json.dumps({"assigned": split, "read": counts, "readAgain": len(again), "survivorNew": len(got["a"]) - counts[0]}))


def confluent_admin():
    from confluent_kafka import Consumer
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("ck-admin", 3, 1)])["ck-admin"].result()
    md = admin.list_topics(timeout=10)
    partitions = len(md.topics["ck-admin"].partitions)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "ck-admin-g", "auto.offset.reset": "earliest"})
    c.subscribe(["ck-admin"])
    wait_for(lambda: c.poll(0.05) is None and len(c.assignment()) == 3, "the group to be assigned")
    groups = admin.list_consumer_groups().result()
    ids = sorted(g.group_id for g in groups.valid)
    described = admin.describe_consumer_groups(["ck-admin-g"])["ck-admin-g"].result()
    c.close()
    admin.delete_topics(["ck-admin"])["ck-admin"].result()
    wait_for(lambda: "ck-admin" not in admin.list_topics(timeout=10).topics, "the topic to go")
    print(json.dumps({"partitions": partitions, "groups": ids, "state": str(described.state), "members": len(described.members)}))


def confluent_configs():
    """AdminClient describes and alters topic configs and adds partitions."""
    from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewPartitions,
                                       NewTopic)

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic("ck-cfg", 1, 1, config={"retention.ms": "3600000"})])["ck-cfg"].result()
    resource = ConfigResource("topic", "ck-cfg")

    def described():
        entries = admin.describe_configs([resource])[resource].result()
        return {k: (v.value, v.is_default) for k, v in entries.items()}

    before = described()
    change = ConfigResource("topic", "ck-cfg", incremental_configs=[
        ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.SET),
        ConfigEntry("retention.ms", None, incremental_operation=AlterConfigOpType.DELETE),
    ])
    admin.incremental_alter_configs([change])[change].result()
    after = described()
    refused = None
    bad = ConfigResource("topic", "ck-cfg", incremental_configs=[
        ConfigEntry("retention.ms", "soon", incremental_operation=AlterConfigOpType.SET)])
    try:
        admin.incremental_alter_configs([bad])[bad].result()
    except Exception as e:  # noqa: BLE001 - the refusal is what is checked
        refused = str(e)
    admin.create_partitions([NewPartitions("ck-cfg", 3)])["ck-cfg"].result()
    partitions = len(admin.list_topics(timeout=10).topics["ck-cfg"].partitions)
    print(json.dumps({
        "before": [before["retention.ms"], before["cleanup.policy"]],
        "after": [after["retention.ms"], after["cleanup.policy"]],
        "refusedMentions": "retention.ms" in (refused or ""),
        "partitions": partitions,
    }))


def kafka_python_groups():
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic("kp-groups", 2, 1)])
    producer = KafkaProducer(bootstrap_servers=bootstrap)

    def member():
        return KafkaConsumer("kp-groups", bootstrap_servers=bootstrap, group_id="kp-g", auto_offset_reset="earliest",
                             enable_auto_commit=False, session_timeout_ms=6000, heartbeat_interval_ms=500)

    a, b = member(), member()
    got = {"a": [], "b": []}

    def poll(c, key):
        # Not too short: see kafka_python_admin on kafka-python's poll deadlines.
        for records in c.poll(timeout_ms=300).values():
            for r in records:
                got[key].append(r.value.decode())
            c.commit()

    # Both members settle first, so no commit meets a rebalance.
    wait_for(lambda: [poll(a, "a"), poll(b, "b")] and len(a.assignment()) == 1 and len(b.assignment()) == 1,
             "each member to own one partition")
    for i in range(20):
        producer.send("kp-groups", value=f"first-{i}".encode(), partition=i % 2)
    producer.flush()
    wait_for(lambda: [poll(a, "a"), poll(b, "b")] and len(got["a"]) + len(got["b"]) >= 20, "20 records split between the members")
    split = [len(a.assignment()), len(b.assignment())]
    counts = [len(got["a"]), len(got["b"])]
    b.close()
    for i in range(10):
        producer.send("kp-groups", value=f"second-{i}".encode(), partition=i % 2)
    producer.flush()
    wait_for(lambda: [poll(a, "a")] and len(got["a"]) >= counts[0] + 10, "the survivor to read the new records")
    again = [v for v in got["a"][counts[0]:] if v.startswith("first-")]
    a.close()
    producer.close()
    print(json.dumps({"assigned": split, "read": counts, "readAgain": len(again), "survivorNew": len(got["a"]) - counts[0]}))


def kafka_python_admin():
    from kafka import KafkaConsumer
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic("kp-admin", 3, 1)])
    listed = "kp-admin" in admin.list_topics()
    partitions = len(admin.describe_topics(["kp-admin"])[0]["partitions"])
    c = KafkaConsumer("kp-admin", bootstrap_servers=bootstrap, group_id="kp-admin-g")
    # Long polls: kafka-python 3.0.12 drops a join's result when a poll's
    # deadline passes just as the join completes (it then reports itself
    # joined with no partitions, forever); fewer deadlines, fewer chances.
    wait_for(lambda: c.poll(timeout_ms=1000) is not None and len(c.assignment()) == 3, "the group to be assigned")
    groups = sorted(g["group_id"] if isinstance(g, dict) else g[0] for g in admin.list_groups())
    described = admin.describe_groups(["kp-admin-g"])["kp-admin-g"]
    c.close()
    admin.delete_topics(["kp-admin"])
    after = "kp-admin" in admin.list_topics()
    print(json.dumps({"listed": listed, "partitions": partitions, "groups": groups, "state": described["group_state"],
                      "members": len(described["members"]), "afterDelete": after}))


cases = {
    "seed001": ("confluent_kafka", seed001),
    "confluent-groups": ("confluent_kafka", confluent_groups),
    "confluent-admin": ("confluent_kafka", confluent_admin),
    "confluent-configs": ("confluent_kafka", confluent_configs),
    "kafka-python-groups": ("kafka-python", kafka_python_groups),
    "kafka-python-admin": ("kafka-python", kafka_python_admin),
}
if name not in cases:
    print(f"unknown case '{name}' (one of {', '.join(cases)})", file=sys.stderr)
    sys.exit(2)
client, run = cases[name]
try:
    run()
except SystemExit:
    raise
except Exception as e:  # noqa: BLE001 - the point is to name any failure
    fail(client, type(e).__name__, e)
