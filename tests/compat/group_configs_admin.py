"""confluent_kafka's AdminClient on a GROUP config resource: sets two share
group configs incrementally, describes them, and tries an unknown name.

usage: group_configs_admin.py BOOTSTRAP

Prints one JSON object: {"set": {name: value}, "bad": "<error text>"}.
"""

import json
import sys

from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ResourceType,
)

admin = AdminClient({"bootstrap.servers": sys.argv[1]})


def alter(entries):
    resource = ConfigResource(
        ResourceType.GROUP,
        "workers",
        incremental_configs=[
            ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET)
            for k, v in entries
        ],
    )
    for future in admin.incremental_alter_configs([resource]).values():
        future.result()


alter([("share.record.lock.duration.ms", "15000"), ("share.auto.offset.reset", "earliest")])
described = {}
for future in admin.describe_configs([ConfigResource(ResourceType.GROUP, "workers")]).values():
    described = {name: entry.value for name, entry in future.result().items()}
try:
    alter([("share.nope", "1")])
    bad = ""
except Exception as e:  # noqa: BLE001 - the error text is what the test reads
    bad = str(e)
print(json.dumps({"set": described, "bad": bad}))
