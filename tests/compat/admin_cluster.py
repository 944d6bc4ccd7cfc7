"""confluent_kafka's AdminClient against dq serve: DescribeCluster, authorized
operations, BROKER config resources and a deprecated topic config.

usage: admin_cluster.py BOOTSTRAP

Prints one JSON line with the findings. A failure prints
"confluent_kafka admin-cluster: <API>: <error>" on stderr and exits 1.
"""

import json
import sys

from confluent_kafka import Consumer, TopicCollection, TopicPartition
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, ConfigSource, NewTopic)

bootstrap = sys.argv[1]


def source(entry):
    return ConfigSource(entry.source).name


def names(operations):
    return None if operations is None else sorted(op.name for op in operations)


def main():
    admin = AdminClient({"bootstrap.servers": bootstrap})
    cluster = admin.describe_cluster(include_authorized_operations=True).result()
    unasked = admin.describe_cluster().result()
    metadata_cluster_id = admin.list_topics(timeout=10).cluster_id

    admin.create_topics([NewTopic("ac-topic", 1, 1)])["ac-topic"].result()
    admin.create_topics([NewTopic("ac-old", 1, 1, config={"message.format.version": "0.10.0"})])["ac-old"].result()
    topic = admin.describe_topics(TopicCollection(["ac-topic"]),
                                  include_authorized_operations=True)["ac-topic"].result()

    # A group with a committed offset and no members.
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "ac-group"})
    consumer.commit(offsets=[TopicPartition("ac-topic", 0, 0)], asynchronous=False)
    consumer.close()
    group = admin.describe_consumer_groups(["ac-group"], include_authorized_operations=True)["ac-group"].result()

    broker = ConfigResource("broker", "0")

    def broker_entries():
        return admin.describe_configs([broker])[broker].result()

    before = broker_entries()
    change = ConfigResource("broker", "0", incremental_configs=[
        ConfigEntry("log.retention.ms", "3600000", incremental_operation=AlterConfigOpType.SET)])
    admin.incremental_alter_configs([change])[change].result()
    after = broker_entries()
    topic_resource = ConfigResource("topic", "ac-topic")
    topic_configs = admin.describe_configs([topic_resource])[topic_resource].result()

    refused = None
    read_only = ConfigResource("broker", "0", incremental_configs=[
        ConfigEntry("broker.id", "5", incremental_operation=AlterConfigOpType.SET)])
    try:
        admin.incremental_alter_configs([read_only])[read_only].result()
    except Exception as e:  # noqa: BLE001 - the refusal is what is checked
        refused = e.args[0].name() if e.args and hasattr(e.args[0], "name") else str(e)

    old_resource = ConfigResource("topic", "ac-old")
    old = admin.describe_configs([old_resource])[old_resource].result()["message.format.version"]

    retention_before = before["log.retention.ms"]
    retention_after = after["log.retention.ms"]
    follows = topic_configs["retention.ms"]
    print(json.dumps({
        "clusterNodes": len(cluster.nodes),
        "clusterIdMatches": cluster.cluster_id == metadata_cluster_id,
        "clusterOperations": names(cluster.authorized_operations),
        "clusterOperationsUnasked": names(unasked.authorized_operations),
        "topicOperations": names(topic.authorized_operations),
        "groupOperations": names(group.authorized_operations),
        "brokerBefore": [retention_before.value, source(retention_before), retention_before.is_read_only],
        "brokerIdReadOnly": before["broker.id"].is_read_only,
        "brokerAfter": [retention_after.value, source(retention_after)],
        "topicFollows": [follows.value, source(follows)],
        "readOnlyRefused": refused,
        "deprecated": [old.value, source(old)],
    }))


try:
    main()
except Exception as e:  # noqa: BLE001 - the point is to name any failure
    print(f"confluent_kafka admin-cluster: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(1)
