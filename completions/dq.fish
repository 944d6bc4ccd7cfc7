# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dq_global_optspecs
    string join \n h/help V/version
end

function __fish_dq_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dq_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dq_using_subcommand
    set -l cmd (__fish_dq_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dq -n "__fish_dq_needs_command" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_needs_command" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_needs_command" -f -a "serve" -d 'Run a single-node broker that speaks the Kafka wire protocol'
complete -c dq -n "__fish_dq_needs_command" -f -a "produce" -d 'Write records from stdin or a file to a topic, with delivery reports'
complete -c dq -n "__fish_dq_needs_command" -f -a "consume" -d 'Read records from topics to stdout'
complete -c dq -n "__fish_dq_needs_command" -f -a "topics" -d 'List, describe, create, alter and delete topics (kafka-topics.sh)'
complete -c dq -n "__fish_dq_needs_command" -f -a "groups" -d 'List, describe, reset the offsets of, and delete consumer groups'
complete -c dq -n "__fish_dq_needs_command" -f -a "offsets" -d 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset'
complete -c dq -n "__fish_dq_needs_command" -f -a "transactions" -d 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)'
complete -c dq -n "__fish_dq_needs_command" -f -a "repl" -d 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)'
complete -c dq -n "__fish_dq_needs_command" -f -a "generate" -d 'Write shell completions or man pages, generated from this binary\'s own flags'
complete -c dq -n "__fish_dq_needs_command" -f -a "profile" -d 'List the connection profiles in the config file, or show the settings in force and where each comes from'
complete -c dq -n "__fish_dq_needs_command" -f -a "perf" -d 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)'
complete -c dq -n "__fish_dq_needs_command" -f -a "dump-log" -d 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)'
complete -c dq -n "__fish_dq_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand serve" -l listen -d 'Address to listen on; every address the host resolves to is bound. Port 0 picks a free port' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l advertised-listener -d 'Address clients are told to connect to (defaults to the listen host and bound port)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l data-dir -d 'Where topics and their segments are kept [default: $DQ_DATA_DIR, else $XDG_DATA_HOME/dq, else ~/.local/share/dq]' -r -F
complete -c dq -n "__fish_dq_using_subcommand serve" -l partitions -d 'Partition count for auto-created topics and topics created without one' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l segment-bytes -d 'Size at which a segment file rolls (suffixes K, M, G accepted) [default: 1G]. The broker\'s log.segment.bytes; AlterConfigs can change it at run time' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l group-initial-rebalance-delay -d 'How long the first member of an empty consumer group waits for others before the group forms, extended by each newcomer up to the rebalance timeout (Kafka\'s group.initial.rebalance.delay.ms; 0 forms it at once) [default: 3s]. AlterConfigs can change it at run time' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l max-request-bytes -d 'Largest request accepted; larger ones close the connection' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l request-timeout -d 'A request must arrive whole within this of its first byte, or the connection is closed (like Kafka\'s request.timeout.ms; 500ms, 30s, 2m)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l max-connections -d 'Connections served at once; more are closed as they arrive [default: 1000, or a quarter of the open-file limit if that is less]' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l queued-max-request-bytes -d 'Bytes of requests held in memory at once, over all connections; a connection waits for room before its next request is read' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l max-open-files -d 'Segment files kept open at once, each partition\'s active log included [default: the open-file limit less the connections and 256]' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l max-partitions -d 'Partitions the broker holds over all topics; CreateTopics and CreatePartitions beyond it are refused [default: nine tenths of the open segment files, at most 100000]' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l group-consumer-session-timeout -d 'A consumer-protocol group member (`group.protocol=consumer`) without a heartbeat for this long is removed and its partitions reassigned, like Kafka\'s group.consumer.session.timeout.ms (500ms, 30s, 2m)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l group-consumer-heartbeat-interval -d 'How often consumer-protocol group members are told to heartbeat, like Kafka\'s group.consumer.heartbeat.interval.ms; below the session timeout' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-session-timeout -d 'A share-group member without a heartbeat for this long is removed and its records released, like Kafka\'s group.share.session.timeout.ms (a group\'s share.session.timeout.ms overrides it)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-heartbeat-interval -d 'How often share-group members are told to heartbeat, like Kafka\'s group.share.heartbeat.interval.ms; below the session timeout' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-record-lock-duration -d 'How long a share-group member holds a record it fetched before it is offered again, like Kafka\'s group.share.record.lock.duration.ms' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-delivery-count-limit -d 'Deliveries of a record to a share group before it is archived (or dead-lettered), like Kafka\'s group.share.delivery.count.limit (2 to 10)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-partition-max-record-locks -d 'Records in flight (acquired, not yet acknowledged) per share-partition, like Kafka\'s group.share.partition.max.record.locks (100 to 10000)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l share-max-size -d 'Members of one share group, like Kafka\'s group.share.max.size' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l dead-letter-topic-prefix -d 'The prefix every share group\'s dead-letter topic must start with, like Kafka\'s errors.deadletterqueue.topic.name.prefix (KIP-1191); empty for any name' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l transactional-id-expiration -d 'A transactional id unused this long is forgotten, like Kafka\'s transactional.id.expiration.ms (checked once a second)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l producer-id-expiration -d 'A partition forgets an idempotent or transactional producer that wrote nothing for this long and has no open transaction, like Kafka\'s producer.id.expiration.ms (checked every 30 seconds)' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l log-level -d 'Log level (error, warn, info, debug, trace), or a RUST_LOG-style filter' -r
complete -c dq -n "__fish_dq_using_subcommand serve" -l temp -d 'Keep data in a temporary directory that is removed on exit'
complete -c dq -n "__fish_dq_using_subcommand serve" -l dead-letter-auto-create -d 'Create a share group\'s missing dead-letter topic on its first dead letter, like Kafka\'s errors.deadletterqueue.auto.create.topics.enable'
complete -c dq -n "__fish_dq_using_subcommand serve" -l no-auto-create -d 'Do not create topics when a client asks for metadata of a missing one'
complete -c dq -n "__fish_dq_using_subcommand serve" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand serve" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand produce" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand produce" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s f -l file -d 'Read records from FILE instead of stdin (`-` is stdin)' -r -F
complete -c dq -n "__fish_dq_using_subcommand produce" -s D -l delimiter -d 'What separates records in the input; escapes like \\n, \\t, \\0 and \\xHH work' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l format -d '`lines`: each record is a value (with -k/-K/-H and parse.* properties); `json`: each record is the envelope `dq consume --output json` writes' -r -f -a "lines\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -s k -l key -d 'The same key for every record' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s K -l key-separator -d 'Split each record into key and value at the first SEP (like `--property parse.key=true --property key.separator=SEP`)' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s H -l header -d 'A header on every record; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s p -l partition -d 'Send every record to this partition instead of hashing its key' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l acks -d 'Acknowledgements to wait for: none, the leader, or all in-sync replicas [default: all; a transaction needs all]' -r -f -a "0\t''
1\t''
all\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -s z -l compression -d 'Compression for record batches' -r -f -a "none\t''
gzip\t''
snappy\t''
lz4\t''
zstd\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -l null-marker -d 'A key, value or header value equal to this is sent as null (a tombstone)' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l report -d 'Delivery reports: one line per record (`each`, the default on a terminal), a `summary` at the end (the default otherwise), or `none`. Failed records are always reported' -r -f -a "each\t''
summary\t''
none\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -l report-to -d 'Where delivery reports go' -r -f -a "stdout\t''
stderr\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -l output -d 'Delivery reports as text or as JSON lines' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand produce" -l transactional-id -d 'Send the input in a transaction under this transactional.id: all of it or none. Delivery reports come once it is committed; an error or a signal aborts it, and a failed transaction exits with 3. A later run with the same id fences this one. The broker aborts a transaction open longer than transaction.timeout.ms (a minute, or --timeout when longer; -X sets it)' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -l txn-every -d 'Commit a transaction every N records (and the rest at the end) instead of one for the whole input' -r
complete -c dq -n "__fish_dq_using_subcommand produce" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand produce" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand consume" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand consume" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l include -l whitelist -d 'Also read every topic whose whole name matches this regular expression' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -s g -l group -d 'Consume as part of this consumer group: start from its committed offsets and commit what was read' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l share-group -d 'Read as a member of this share group (KIP-932, a queue): the broker hands each record to one member at a time, and each record written out is acknowledged as accepted. The group decides where reading starts (its share.auto.offset.reset config, latest by default)' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l ack -d 'With --share-group: what happens to records fetched but not written out (past --max-messages, or when a signal or a closed pipe stops the command): `release` hands them back to the group for another delivery, `reject` archives them (onto the group\'s dead-letter topic when it has one) [default: release]' -r -f -a "release\t''
reject\t''"
complete -c dq -n "__fish_dq_using_subcommand consume" -l group-protocol -d 'The group\'s rebalance protocol: `classic` (JoinGroup/SyncGroup, every broker) or `consumer` (Kafka 4\'s KIP-848 protocol, with server-side assignment). librdkafka\'s default, `classic`, when not given' -r -f -a "classic\t''
consumer\t''"
complete -c dq -n "__fish_dq_using_subcommand consume" -s o -l offset -d 'Where to start: beginning, end, N (an offset), -N (N records before the end), or @TIME (ISO-8601, milliseconds since the epoch, or relative like @-1h)' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -s p -l partition -d 'Read only this partition; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -s n -l max-messages -d 'Stop after this many records' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l timeout-ms -d 'Stop when no record arrives for this many milliseconds' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l isolation-level -d '`read_committed` (librdkafka\'s default) delivers the records of committed transactions only, and stops at the first record of a transaction still open; `read_uncommitted` delivers every record, aborted ones too [default: read_committed]. A share group\'s share.isolation.level config decides for its members' -r -f -a "read_uncommitted\t''
read_committed\t''"
complete -c dq -n "__fish_dq_using_subcommand consume" -s f -l format -d 'kcat-style format: %t topic, %p partition, %o offset, %k key, %s value, %h headers, %T timestamp, %K/%S key/value length, and escapes like \\n' -r
complete -c dq -n "__fish_dq_using_subcommand consume" -l output -d '`text`: the value (or Kafka\'s print.* layout); `json`: one envelope per line' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand consume" -l time-format -d 'Timestamps as milliseconds since the epoch or as ISO-8601 (UTC)' -r -f -a "ms\t''
iso\t''"
complete -c dq -n "__fish_dq_using_subcommand consume" -l from-beginning -d 'Start at the earliest record (with a group: when it has no committed offset)'
complete -c dq -n "__fish_dq_using_subcommand consume" -s e -l exit-at-end -d 'Stop once every partition has been read up to where it ended when the command started; with --share-group, at the first fetch that brings nothing (every record is delivered, or held by other members)'
complete -c dq -n "__fish_dq_using_subcommand consume" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand consume" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l topic -d 'The topic to act on; repeatable for --describe and --delete' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l partitions -d 'With --create: the partition count; with --alter: the new, larger one' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l replication-factor -d 'With --create: copies of each partition (only 1 on `dq serve`)' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l config -l add-config -d 'With --create or --alter: a topic config to set; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l delete-config -d 'With --alter: a config override to remove; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l create -d 'Kafka spelling of `dq topics create`'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l list -d 'Kafka spelling of `dq topics list`'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l describe -d 'Kafka spelling of `dq topics describe`'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l alter -d 'Kafka spelling of `dq topics alter`'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l delete -d 'Kafka spelling of `dq topics delete`'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l if-not-exists -d 'With --create: succeed when the topic already exists'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l if-exists -d 'With --delete: succeed for topics that do not exist'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -l include-internal -d 'With --list or --describe: include internal topics'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -s y -l yes -d 'With --delete: do not ask for confirmation'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "list" -d 'Topic names, partition counts and whether each is internal'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "describe" -d 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "create" -d 'Create a topic'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "delete" -d 'Delete topics and all their records'
complete -c dq -n "__fish_dq_using_subcommand topics; and not __fish_seen_subcommand_from list describe create alter delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l include-internal -d 'Also list internal topics such as __consumer_offsets'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -l names-only -d 'Print only the names, one per line, as `kafka-topics.sh --list` does'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -l include-internal -d 'With no TOPIC: describe internal topics too'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l partitions -d 'Number of partitions (default: the broker\'s num.partitions)' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l replication-factor -d 'Copies of each partition (default: the broker\'s; `dq serve` has one broker, so only 1 is possible there)' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l config -d 'A topic config, e.g. --config retention.ms=3600000; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -l if-not-exists -d 'Succeed without changing anything when the topic already exists'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l partitions -d 'Grow the topic to this many partitions (Kafka cannot shrink one)' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l config -l add-config -d 'Set a topic config, leaving the other overrides as they are; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -l delete-config -d 'Remove a config override (the broker default applies again); repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from alter" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (no question is asked without a terminal)'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -l if-exists -d 'Succeed for topics that do not exist'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "list" -d 'Topic names, partition counts and whether each is internal'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a topic'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete topics and all their records'
complete -c dq -n "__fish_dq_using_subcommand topics; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "list" -d 'List the consumer groups with their state, protocol and member count'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "describe" -d 'Show a group\'s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "delete" -d 'Delete groups and their committed offsets'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "delete-offsets" -d 'Delete a group\'s committed offsets for some topics or partitions'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "alter" -d 'Set or delete a group\'s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
complete -c dq -n "__fish_dq_using_subcommand groups; and not __fish_seen_subcommand_from list describe reset-offsets delete delete-offsets alter help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l output -d 'JSON always holds every view: state, members, partitions and lag' -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l members -d 'Show the members: consumer id, host, client id and partition count'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -s v -l verbose -d 'With --members: also each member\'s assigned partitions'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -l state -d 'Show the group\'s state, assignment strategy and member count'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l topic -d 'Reset these topics: TOPIC (every partition) or TOPIC:P,P,...; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l to-offset -d 'To this offset (kept within the log\'s bounds)' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l shift-by -d 'Forward (N) or back (-N) from the committed offset' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l to-datetime -d 'To the first record at or after this time: ISO-8601 (UTC unless it names a zone) or milliseconds since the epoch' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l by-duration -d 'To the first record at most this long ago: PnDTnHnMnS as Kafka takes it, or 90m, 2h, 1d' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l from-file -d 'To the offsets in a CSV of topic,partition,offset lines (Kafka\'s format); its partitions are the scope unless --topic narrows it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l all-topics -d 'Reset every topic the group has committed offsets for'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l to-earliest -d 'To the earliest offset still in the log'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l to-latest -d 'To the end of the log (skip everything there now)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l to-current -d 'To the committed offset (the end where there is none)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l execute -d 'Commit the new offsets; without it nothing changes (a dry run)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -l dry-run -d 'Accepted for kafka-consumer-groups.sh habits: the default anyway'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -s y -l yes -d 'With --execute: do not ask for confirmation (it is only asked on a terminal)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from reset-offsets" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation (it is only asked on a terminal)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -l topic -d 'TOPIC (every partition) or TOPIC:P,P,...; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -s y -l yes -d 'Do not ask for confirmation (it is only asked on a terminal)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from delete-offsets" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l config -d 'Set a group config, under Kafka\'s name: share.record.lock.duration.ms, share.delivery.count.limit, share.auto.offset.reset, share.isolation.level, share.session.timeout.ms, share.heartbeat.interval.ms, consumer.session.timeout.ms, …; repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l delete-config -d 'Remove a group config (the broker\'s default applies again); repeatable' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l dead-letter-topic -d 'The share group\'s dead-letter topic (KIP-1191): records a member rejects, or that reach the delivery count limit, are copied there before they are archived. Its name must start with the broker\'s prefix (errors.deadletterqueue.topic.name.prefix, `dlq.` by default); it is created, with errors.deadletterqueue.group.enable=true, when missing' -r
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t'One JSON document for scripts'"
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from alter" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the consumer groups with their state, protocol and member count'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "describe" -d 'Show a group\'s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete groups and their committed offsets'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "delete-offsets" -d 'Delete a group\'s committed offsets for some topics or partitions'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "alter" -d 'Set or delete a group\'s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
complete -c dq -n "__fish_dq_using_subcommand groups; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand offsets" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand offsets" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -s p -l partition -d 'Only these partitions (every one by default); repeatable or comma-separated' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -l time -d 'Also the offset at a time: -1 (latest), -2 (earliest), milliseconds since the epoch, or ISO-8601 (UTC unless it names a zone). The offset is the first record\'s whose timestamp is at or after it' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -l delete-before -d 'Delete every record before this offset (`end`: all of them); the log start offset moves there. Asks first on a terminal' -r
complete -c dq -n "__fish_dq_using_subcommand offsets" -l output -d '`plain` prints kafka-get-offsets.sh\'s TOPIC:PARTITION:OFFSET lines (the offset at --time, else the latest)' -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t''
plain\t''"
complete -c dq -n "__fish_dq_using_subcommand offsets" -s y -l yes -d 'Do not ask for confirmation before deleting'
complete -c dq -n "__fish_dq_using_subcommand offsets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand offsets" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -f -a "list" -d 'Every transactional id the brokers coordinate, with its state'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -f -a "describe" -d 'The state of one transactional id: its producer, its open transaction and that transaction\'s partitions'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -f -a "describe-producers" -d 'The producers a partition\'s leader keeps state for, and where each one\'s open transaction starts'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -f -a "abort" -d 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
complete -c dq -n "__fish_dq_using_subcommand transactions; and not __fish_seen_subcommand_from list describe describe-producers abort help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -l duration-filter -d 'Only transactions open longer than this many milliseconds (a negative number: all)' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t''"
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -l transactional-id -d 'The transactional id to describe' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t''"
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l topic -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l partition -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t''"
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from describe-producers" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l topic -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l partition -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l start-offset -d 'The first offset of the transaction to abort (as `describe-producers` shows it); the producer is looked up from it' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l producer-id -d 'The producer whose transaction to abort, instead of --start-offset' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l producer-epoch -d 'With --producer-id: its epoch' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l coordinator-epoch -d 'With --producer-id: the coordinator epoch for the marker (-1 is taken as 0, as kafka-transactions.sh does)' -r
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -l output -r -f -a "text\t'Columns for people (`table` is accepted too)'
json\t''"
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from abort" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every transactional id the brokers coordinate, with its state'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from help" -f -a "describe" -d 'The state of one transactional id: its producer, its open transaction and that transaction\'s partitions'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from help" -f -a "describe-producers" -d 'The producers a partition\'s leader keeps state for, and where each one\'s open transaction starts'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from help" -f -a "abort" -d 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
complete -c dq -n "__fish_dq_using_subcommand transactions; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand repl" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand repl" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand repl" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand repl" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand repl" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand repl" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand repl" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "completions" -d 'Shell completion scripts, one file per shell (all shells when none is named)'
complete -c dq -n "__fish_dq_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "man" -d 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
complete -c dq -n "__fish_dq_using_subcommand generate; and not __fish_seen_subcommand_from completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from completions" -l dir -d 'Where to write them' -r -F
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from completions" -l stdout -d 'Print the one named shell\'s script to stdout instead (`source <(dq generate completions bash --stdout)`)'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from man" -l dir -d 'Where to write them' -r -F
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from man" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from man" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Shell completion scripts, one file per shell (all shells when none is named)'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "man" -d 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
complete -c dq -n "__fish_dq_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand profile; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand profile; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand profile; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'The profiles in the config file, and which one is selected'
complete -c dq -n "__fish_dq_using_subcommand profile; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
complete -c dq -n "__fish_dq_using_subcommand profile; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from list" -l profile -d 'Mark this profile as selected, as `--profile` would [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from list" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -l output -d '`text` for people; `json` for scripts (a stable schema)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'The profiles in the config file, and which one is selected'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "show" -d 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
complete -c dq -n "__fish_dq_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand perf; and not __fish_seen_subcommand_from produce consume help" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand perf; and not __fish_seen_subcommand_from produce consume help" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand perf; and not __fish_seen_subcommand_from produce consume help" -f -a "produce" -d 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand perf; and not __fish_seen_subcommand_from produce consume help" -f -a "consume" -d 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand perf; and not __fish_seen_subcommand_from produce consume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l topic -d 'Topic to write to (the flag Kafka\'s tool takes)' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l num-records -d 'How many records to send' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l record-size -d 'Each record\'s value is this many bytes (random uppercase letters, the same for every record, as in Kafka\'s tool)' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l payload-file -d 'Each record\'s value is picked at random from the pieces of this file (split at --payload-delimiter; empty pieces are skipped)' -r -F
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l payload-delimiter -d 'What separates values in --payload-file; escapes like \\n, \\t, \\0 and \\xHH work' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l throughput -d 'At most this many records per second; -1 for no limit' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l acks -d 'Acknowledgements to wait for: none, the leader, or all in-sync replicas (-1 is all)' -r -f -a "0\t''
1\t''
all\t''"
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l producer-props -d 'Producer settings, as Kafka\'s tool takes them (librdkafka names, or Java ones it translates); applied after -X and --command-config. Takes every word after it: put TOPIC first, or use --topic' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l report-interval -d 'How often to print a line about the last interval (text output only)' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -l output -d '`text`: Kafka\'s lines; `json`: one object at the end' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from produce" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -s b -l bootstrap-server -l bootstrap-servers -d 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile\'s, else localhost:9092]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -s X -l property -l producer-property -l consumer-property -d 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l command-config -l producer.config -l consumer.config -d 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it' -r -F
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l timeout -d 'How long to wait for the broker: to connect, and for each record\'s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile\'s, else 30s]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l profile -d 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file\'s `default`]' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l topic -d 'Topic to read (the flag Kafka\'s tool takes)' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l messages -d 'Stop after this many records, or when none arrives for --timeout. Without it: stop at the end of the topic as it was at the start' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -s g -l group -d 'Read as this consumer group (joining it, starting from its committed offsets and committing); without it, partitions are assigned directly' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l report-interval -d 'How often --show-detailed-stats prints a row' -r
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l output -d '`text`: Kafka\'s header and row; `json`: one object at the end' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l from-latest -d 'Start at the end instead of the beginning (with a group: when it has no committed offset)'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -l show-detailed-stats -d 'Print a row per --report-interval instead of one summary row'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from consume" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from help" -f -a "produce" -d 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from help" -f -a "consume" -d 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand perf; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand dump-log" -l output -d '`text` prints kafka-dump-log.sh\'s lines; `json` one object per batch (see docs/json.md)' -r -f -a "text\t''
json\t''"
complete -c dq -n "__fish_dq_using_subcommand dump-log" -l records -d 'Also print every record: offset, timestamp, key, value and headers (Kafka\'s --print-data-log); compressed batches are decompressed. A batch whose records cannot be decoded counts as invalid'
complete -c dq -n "__fish_dq_using_subcommand dump-log" -l verify -d 'Exit 1 when any batch is invalid (bad length, magic, CRC-32C or offsets; with --records, records that do not decode), naming each; 0 when every batch checks out'
complete -c dq -n "__fish_dq_using_subcommand dump-log" -s h -l help -d 'Print help'
complete -c dq -n "__fish_dq_using_subcommand dump-log" -s V -l version -d 'Print version'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "serve" -d 'Run a single-node broker that speaks the Kafka wire protocol'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "produce" -d 'Write records from stdin or a file to a topic, with delivery reports'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "consume" -d 'Read records from topics to stdout'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "topics" -d 'List, describe, create, alter and delete topics (kafka-topics.sh)'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "groups" -d 'List, describe, reset the offsets of, and delete consumer groups'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "offsets" -d 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "transactions" -d 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "repl" -d 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "generate" -d 'Write shell completions or man pages, generated from this binary\'s own flags'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "profile" -d 'List the connection profiles in the config file, or show the settings in force and where each comes from'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "perf" -d 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "dump-log" -d 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)'
complete -c dq -n "__fish_dq_using_subcommand help; and not __fish_seen_subcommand_from serve produce consume topics groups offsets transactions repl generate profile perf dump-log help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "list" -d 'Topic names, partition counts and whether each is internal'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "describe" -d 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "create" -d 'Create a topic'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "alter" -d 'Add partitions to a topic or change its configs'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from topics" -f -a "delete" -d 'Delete topics and all their records'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "list" -d 'List the consumer groups with their state, protocol and member count'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "describe" -d 'Show a group\'s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "reset-offsets" -d 'Move a group\'s committed offsets (a dry run unless --execute)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "delete" -d 'Delete groups and their committed offsets'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "delete-offsets" -d 'Delete a group\'s committed offsets for some topics or partitions'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from groups" -f -a "alter" -d 'Set or delete a group\'s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from transactions" -f -a "list" -d 'Every transactional id the brokers coordinate, with its state'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from transactions" -f -a "describe" -d 'The state of one transactional id: its producer, its open transaction and that transaction\'s partitions'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from transactions" -f -a "describe-producers" -d 'The producers a partition\'s leader keeps state for, and where each one\'s open transaction starts'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from transactions" -f -a "abort" -d 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "completions" -d 'Shell completion scripts, one file per shell (all shells when none is named)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "man" -d 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'The profiles in the config file, and which one is selected'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "show" -d 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from perf" -f -a "produce" -d 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
complete -c dq -n "__fish_dq_using_subcommand help; and __fish_seen_subcommand_from perf" -f -a "consume" -d 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
