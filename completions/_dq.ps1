
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dq' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dq'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dq' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a single-node broker that speaks the Kafka wire protocol')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write records from stdin or a file to a topic, with delivery reports')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read records from topics to stdout')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'List, describe, create, alter and delete topics (kafka-topics.sh)')
            [CompletionResult]::new('groups', 'groups', [CompletionResultType]::ParameterValue, 'List, describe, reset the offsets of, and delete consumer groups')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset')
            [CompletionResult]::new('transactions', 'transactions', [CompletionResultType]::ParameterValue, 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions or man pages, generated from this binary''s own flags')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List the connection profiles in the config file, or show the settings in force and where each comes from')
            [CompletionResult]::new('perf', 'perf', [CompletionResultType]::ParameterValue, 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)')
            [CompletionResult]::new('dump-log', 'dump-log', [CompletionResultType]::ParameterValue, 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; every address the host resolves to is bound. Port 0 picks a free port')
            [CompletionResult]::new('--advertised-listener', '--advertised-listener', [CompletionResultType]::ParameterName, 'Address clients are told to connect to (defaults to the listen host and bound port)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where topics and their segments are kept [default: $DQ_DATA_DIR, else $XDG_DATA_HOME/dq, else ~/.local/share/dq]')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Partition count for auto-created topics and topics created without one')
            [CompletionResult]::new('--segment-bytes', '--segment-bytes', [CompletionResultType]::ParameterName, 'Size at which a segment file rolls (suffixes K, M, G accepted) [default: 1G]. The broker''s log.segment.bytes; AlterConfigs can change it at run time')
            [CompletionResult]::new('--group-initial-rebalance-delay', '--group-initial-rebalance-delay', [CompletionResultType]::ParameterName, 'How long the first member of an empty consumer group waits for others before the group forms, extended by each newcomer up to the rebalance timeout (Kafka''s group.initial.rebalance.delay.ms; 0 forms it at once) [default: 3s]. AlterConfigs can change it at run time')
            [CompletionResult]::new('--max-request-bytes', '--max-request-bytes', [CompletionResultType]::ParameterName, 'Largest request accepted; larger ones close the connection')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'A request must arrive whole within this of its first byte, or the connection is closed (like Kafka''s request.timeout.ms; 500ms, 30s, 2m)')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more are closed as they arrive [default: 1000, or a quarter of the open-file limit if that is less]')
            [CompletionResult]::new('--queued-max-request-bytes', '--queued-max-request-bytes', [CompletionResultType]::ParameterName, 'Bytes of requests held in memory at once, over all connections; a connection waits for room before its next request is read')
            [CompletionResult]::new('--max-open-files', '--max-open-files', [CompletionResultType]::ParameterName, 'Segment files kept open at once, each partition''s active log included [default: the open-file limit less the connections and 256]')
            [CompletionResult]::new('--max-partitions', '--max-partitions', [CompletionResultType]::ParameterName, 'Partitions the broker holds over all topics; CreateTopics and CreatePartitions beyond it are refused [default: nine tenths of the open segment files, at most 100000]')
            [CompletionResult]::new('--group-consumer-session-timeout', '--group-consumer-session-timeout', [CompletionResultType]::ParameterName, 'A consumer-protocol group member (`group.protocol=consumer`) without a heartbeat for this long is removed and its partitions reassigned, like Kafka''s group.consumer.session.timeout.ms (500ms, 30s, 2m)')
            [CompletionResult]::new('--group-consumer-heartbeat-interval', '--group-consumer-heartbeat-interval', [CompletionResultType]::ParameterName, 'How often consumer-protocol group members are told to heartbeat, like Kafka''s group.consumer.heartbeat.interval.ms; below the session timeout')
            [CompletionResult]::new('--share-session-timeout', '--share-session-timeout', [CompletionResultType]::ParameterName, 'A share-group member without a heartbeat for this long is removed and its records released, like Kafka''s group.share.session.timeout.ms (a group''s share.session.timeout.ms overrides it)')
            [CompletionResult]::new('--share-heartbeat-interval', '--share-heartbeat-interval', [CompletionResultType]::ParameterName, 'How often share-group members are told to heartbeat, like Kafka''s group.share.heartbeat.interval.ms; below the session timeout')
            [CompletionResult]::new('--share-record-lock-duration', '--share-record-lock-duration', [CompletionResultType]::ParameterName, 'How long a share-group member holds a record it fetched before it is offered again, like Kafka''s group.share.record.lock.duration.ms')
            [CompletionResult]::new('--share-delivery-count-limit', '--share-delivery-count-limit', [CompletionResultType]::ParameterName, 'Deliveries of a record to a share group before it is archived (or dead-lettered), like Kafka''s group.share.delivery.count.limit (2 to 10)')
            [CompletionResult]::new('--share-partition-max-record-locks', '--share-partition-max-record-locks', [CompletionResultType]::ParameterName, 'Records in flight (acquired, not yet acknowledged) per share-partition, like Kafka''s group.share.partition.max.record.locks (100 to 10000)')
            [CompletionResult]::new('--share-max-size', '--share-max-size', [CompletionResultType]::ParameterName, 'Members of one share group, like Kafka''s group.share.max.size')
            [CompletionResult]::new('--dead-letter-topic-prefix', '--dead-letter-topic-prefix', [CompletionResultType]::ParameterName, 'The prefix every share group''s dead-letter topic must start with, like Kafka''s errors.deadletterqueue.topic.name.prefix (KIP-1191); empty for any name')
            [CompletionResult]::new('--transactional-id-expiration', '--transactional-id-expiration', [CompletionResultType]::ParameterName, 'A transactional id unused this long is forgotten, like Kafka''s transactional.id.expiration.ms (checked once a second)')
            [CompletionResult]::new('--producer-id-expiration', '--producer-id-expiration', [CompletionResultType]::ParameterName, 'A partition forgets an idempotent or transactional producer that wrote nothing for this long and has no open transaction, like Kafka''s producer.id.expiration.ms (checked every 30 seconds)')
            [CompletionResult]::new('--log-level', '--log-level', [CompletionResultType]::ParameterName, 'Log level (error, warn, info, debug, trace), or a RUST_LOG-style filter')
            [CompletionResult]::new('--temp', '--temp', [CompletionResultType]::ParameterName, 'Keep data in a temporary directory that is removed on exit')
            [CompletionResult]::new('--dead-letter-auto-create', '--dead-letter-auto-create', [CompletionResultType]::ParameterName, 'Create a share group''s missing dead-letter topic on its first dead letter, like Kafka''s errors.deadletterqueue.auto.create.topics.enable')
            [CompletionResult]::new('--no-auto-create', '--no-auto-create', [CompletionResultType]::ParameterName, 'Do not create topics when a client asks for metadata of a missing one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;produce' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read records from FILE instead of stdin (`-` is stdin)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read records from FILE instead of stdin (`-` is stdin)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'What separates records in the input; escapes like \n, \t, \0 and \xHH work')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'What separates records in the input; escapes like \n, \t, \0 and \xHH work')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, '`lines`: each record is a value (with -k/-K/-H and parse.* properties); `json`: each record is the envelope `dq consume --output json` writes')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'The same key for every record')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'The same key for every record')
            [CompletionResult]::new('-K', '-K ', [CompletionResultType]::ParameterName, 'Split each record into key and value at the first SEP (like `--property parse.key=true --property key.separator=SEP`)')
            [CompletionResult]::new('--key-separator', '--key-separator', [CompletionResultType]::ParameterName, 'Split each record into key and value at the first SEP (like `--property parse.key=true --property key.separator=SEP`)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'A header on every record; repeatable')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header on every record; repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Send every record to this partition instead of hashing its key')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Send every record to this partition instead of hashing its key')
            [CompletionResult]::new('--acks', '--acks', [CompletionResultType]::ParameterName, 'Acknowledgements to wait for: none, the leader, or all in-sync replicas [default: all; a transaction needs all]')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'Compression for record batches')
            [CompletionResult]::new('--compression', '--compression', [CompletionResultType]::ParameterName, 'Compression for record batches')
            [CompletionResult]::new('--null-marker', '--null-marker', [CompletionResultType]::ParameterName, 'A key, value or header value equal to this is sent as null (a tombstone)')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Delivery reports: one line per record (`each`, the default on a terminal), a `summary` at the end (the default otherwise), or `none`. Failed records are always reported')
            [CompletionResult]::new('--report-to', '--report-to', [CompletionResultType]::ParameterName, 'Where delivery reports go')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Delivery reports as text or as JSON lines')
            [CompletionResult]::new('--transactional-id', '--transactional-id', [CompletionResultType]::ParameterName, 'Send the input in a transaction under this transactional.id: all of it or none. Delivery reports come once it is committed; an error or a signal aborts it, and a failed transaction exits with 3. A later run with the same id fences this one. The broker aborts a transaction open longer than transaction.timeout.ms (a minute, or --timeout when longer; -X sets it)')
            [CompletionResult]::new('--txn-every', '--txn-every', [CompletionResultType]::ParameterName, 'Commit a transaction every N records (and the rest at the end) instead of one for the whole input')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;consume' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Also read every topic whose whole name matches this regular expression')
            [CompletionResult]::new('--whitelist', '--whitelist', [CompletionResultType]::ParameterName, 'Also read every topic whose whole name matches this regular expression')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Consume as part of this consumer group: start from its committed offsets and commit what was read')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Consume as part of this consumer group: start from its committed offsets and commit what was read')
            [CompletionResult]::new('--share-group', '--share-group', [CompletionResultType]::ParameterName, 'Read as a member of this share group (KIP-932, a queue): the broker hands each record to one member at a time, and each record written out is acknowledged as accepted. The group decides where reading starts (its share.auto.offset.reset config, latest by default)')
            [CompletionResult]::new('--ack', '--ack', [CompletionResultType]::ParameterName, 'With --share-group: what happens to records fetched but not written out (past --max-messages, or when a signal or a closed pipe stops the command): `release` hands them back to the group for another delivery, `reject` archives them (onto the group''s dead-letter topic when it has one) [default: release]')
            [CompletionResult]::new('--group-protocol', '--group-protocol', [CompletionResultType]::ParameterName, 'The group''s rebalance protocol: `classic` (JoinGroup/SyncGroup, every broker) or `consumer` (Kafka 4''s KIP-848 protocol, with server-side assignment). librdkafka''s default, `classic`, when not given')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, N (an offset), -N (N records before the end), or @TIME (ISO-8601, milliseconds since the epoch, or relative like @-1h)')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Where to start: beginning, end, N (an offset), -N (N records before the end), or @TIME (ISO-8601, milliseconds since the epoch, or relative like @-1h)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Read only this partition; repeatable')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Read only this partition; repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after this many records')
            [CompletionResult]::new('--max-messages', '--max-messages', [CompletionResultType]::ParameterName, 'Stop after this many records')
            [CompletionResult]::new('--timeout-ms', '--timeout-ms', [CompletionResultType]::ParameterName, 'Stop when no record arrives for this many milliseconds')
            [CompletionResult]::new('--isolation-level', '--isolation-level', [CompletionResultType]::ParameterName, '`read_committed` (librdkafka''s default) delivers the records of committed transactions only, and stops at the first record of a transaction still open; `read_uncommitted` delivers every record, aborted ones too [default: read_committed]. A share group''s share.isolation.level config decides for its members')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'kcat-style format: %t topic, %p partition, %o offset, %k key, %s value, %h headers, %T timestamp, %K/%S key/value length, and escapes like \n')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'kcat-style format: %t topic, %p partition, %o offset, %k key, %s value, %h headers, %T timestamp, %K/%S key/value length, and escapes like \n')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text`: the value (or Kafka''s print.* layout); `json`: one envelope per line')
            [CompletionResult]::new('--time-format', '--time-format', [CompletionResultType]::ParameterName, 'Timestamps as milliseconds since the epoch or as ISO-8601 (UTC)')
            [CompletionResult]::new('--from-beginning', '--from-beginning', [CompletionResultType]::ParameterName, 'Start at the earliest record (with a group: when it has no committed offset)')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Stop once every partition has been read up to where it ended when the command started; with --share-group, at the first fetch that brings nothing (every record is delivered, or held by other members)')
            [CompletionResult]::new('--exit-at-end', '--exit-at-end', [CompletionResultType]::ParameterName, 'Stop once every partition has been read up to where it ended when the command started; with --share-group, at the first fetch that brings nothing (every record is delivered, or held by other members)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'The topic to act on; repeatable for --describe and --delete')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'With --create: the partition count; with --alter: the new, larger one')
            [CompletionResult]::new('--replication-factor', '--replication-factor', [CompletionResultType]::ParameterName, 'With --create: copies of each partition (only 1 on `dq serve`)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'With --create or --alter: a topic config to set; repeatable')
            [CompletionResult]::new('--add-config', '--add-config', [CompletionResultType]::ParameterName, 'With --create or --alter: a topic config to set; repeatable')
            [CompletionResult]::new('--delete-config', '--delete-config', [CompletionResultType]::ParameterName, 'With --alter: a config override to remove; repeatable')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Kafka spelling of `dq topics create`')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Kafka spelling of `dq topics list`')
            [CompletionResult]::new('--describe', '--describe', [CompletionResultType]::ParameterName, 'Kafka spelling of `dq topics describe`')
            [CompletionResult]::new('--alter', '--alter', [CompletionResultType]::ParameterName, 'Kafka spelling of `dq topics alter`')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'Kafka spelling of `dq topics delete`')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'With --create: succeed when the topic already exists')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'With --delete: succeed for topics that do not exist')
            [CompletionResult]::new('--include-internal', '--include-internal', [CompletionResultType]::ParameterName, 'With --list or --describe: include internal topics')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --delete: do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --delete: do not ask for confirmation')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Topic names, partition counts and whether each is internal')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete topics and all their records')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;topics;list' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('--include-internal', '--include-internal', [CompletionResultType]::ParameterName, 'Also list internal topics such as __consumer_offsets')
            [CompletionResult]::new('--names-only', '--names-only', [CompletionResultType]::ParameterName, 'Print only the names, one per line, as `kafka-topics.sh --list` does')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics;describe' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('--include-internal', '--include-internal', [CompletionResultType]::ParameterName, 'With no TOPIC: describe internal topics too')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics;create' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Number of partitions (default: the broker''s num.partitions)')
            [CompletionResult]::new('--replication-factor', '--replication-factor', [CompletionResultType]::ParameterName, 'Copies of each partition (default: the broker''s; `dq serve` has one broker, so only 1 is possible there)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'A topic config, e.g. --config retention.ms=3600000; repeatable')
            [CompletionResult]::new('--if-not-exists', '--if-not-exists', [CompletionResultType]::ParameterName, 'Succeed without changing anything when the topic already exists')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics;alter' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('--partitions', '--partitions', [CompletionResultType]::ParameterName, 'Grow the topic to this many partitions (Kafka cannot shrink one)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Set a topic config, leaving the other overrides as they are; repeatable')
            [CompletionResult]::new('--add-config', '--add-config', [CompletionResultType]::ParameterName, 'Set a topic config, leaving the other overrides as they are; repeatable')
            [CompletionResult]::new('--delete-config', '--delete-config', [CompletionResultType]::ParameterName, 'Remove a config override (the broker default applies again); repeatable')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics;delete' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (no question is asked without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (no question is asked without a terminal)')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Succeed for topics that do not exist')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;topics;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Topic names, partition counts and whether each is internal')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete topics and all their records')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;topics;help;list' {
            break
        }
        'dq;topics;help;describe' {
            break
        }
        'dq;topics;help;create' {
            break
        }
        'dq;topics;help;alter' {
            break
        }
        'dq;topics;help;delete' {
            break
        }
        'dq;topics;help;help' {
            break
        }
        'dq;groups' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the consumer groups with their state, protocol and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete groups and their committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete a group''s committed offsets for some topics or partitions')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;groups;list' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;describe' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'JSON always holds every view: state, members, partitions and lag')
            [CompletionResult]::new('--members', '--members', [CompletionResultType]::ParameterName, 'Show the members: consumer id, host, client id and partition count')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'With --members: also each member''s assigned partitions')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'With --members: also each member''s assigned partitions')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'Show the group''s state, assignment strategy and member count')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;reset-offsets' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Reset these topics: TOPIC (every partition) or TOPIC:P,P,...; repeatable')
            [CompletionResult]::new('--to-offset', '--to-offset', [CompletionResultType]::ParameterName, 'To this offset (kept within the log''s bounds)')
            [CompletionResult]::new('--shift-by', '--shift-by', [CompletionResultType]::ParameterName, 'Forward (N) or back (-N) from the committed offset')
            [CompletionResult]::new('--to-datetime', '--to-datetime', [CompletionResultType]::ParameterName, 'To the first record at or after this time: ISO-8601 (UTC unless it names a zone) or milliseconds since the epoch')
            [CompletionResult]::new('--by-duration', '--by-duration', [CompletionResultType]::ParameterName, 'To the first record at most this long ago: PnDTnHnMnS as Kafka takes it, or 90m, 2h, 1d')
            [CompletionResult]::new('--from-file', '--from-file', [CompletionResultType]::ParameterName, 'To the offsets in a CSV of topic,partition,offset lines (Kafka''s format); its partitions are the scope unless --topic narrows it')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('--all-topics', '--all-topics', [CompletionResultType]::ParameterName, 'Reset every topic the group has committed offsets for')
            [CompletionResult]::new('--to-earliest', '--to-earliest', [CompletionResultType]::ParameterName, 'To the earliest offset still in the log')
            [CompletionResult]::new('--to-latest', '--to-latest', [CompletionResultType]::ParameterName, 'To the end of the log (skip everything there now)')
            [CompletionResult]::new('--to-current', '--to-current', [CompletionResultType]::ParameterName, 'To the committed offset (the end where there is none)')
            [CompletionResult]::new('--execute', '--execute', [CompletionResultType]::ParameterName, 'Commit the new offsets; without it nothing changes (a dry run)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Accepted for kafka-consumer-groups.sh habits: the default anyway')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'With --execute: do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'With --execute: do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;delete' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;delete-offsets' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'TOPIC (every partition) or TOPIC:P,P,...; repeatable')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (it is only asked on a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;alter' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Set a group config, under Kafka''s name: share.record.lock.duration.ms, share.delivery.count.limit, share.auto.offset.reset, share.isolation.level, share.session.timeout.ms, share.heartbeat.interval.ms, consumer.session.timeout.ms, …; repeatable')
            [CompletionResult]::new('--delete-config', '--delete-config', [CompletionResultType]::ParameterName, 'Remove a group config (the broker''s default applies again); repeatable')
            [CompletionResult]::new('--dead-letter-topic', '--dead-letter-topic', [CompletionResultType]::ParameterName, 'The share group''s dead-letter topic (KIP-1191): records a member rejects, or that reach the delivery count limit, are copied there before they are archived. Its name must start with the broker''s prefix (errors.deadletterqueue.topic.name.prefix, `dlq.` by default); it is created, with errors.deadletterqueue.group.enable=true, when missing')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;groups;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the consumer groups with their state, protocol and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete groups and their committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete a group''s committed offsets for some topics or partitions')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;groups;help;list' {
            break
        }
        'dq;groups;help;describe' {
            break
        }
        'dq;groups;help;reset-offsets' {
            break
        }
        'dq;groups;help;delete' {
            break
        }
        'dq;groups;help;delete-offsets' {
            break
        }
        'dq;groups;help;alter' {
            break
        }
        'dq;groups;help;help' {
            break
        }
        'dq;offsets' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Only these partitions (every one by default); repeatable or comma-separated')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'Only these partitions (every one by default); repeatable or comma-separated')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Also the offset at a time: -1 (latest), -2 (earliest), milliseconds since the epoch, or ISO-8601 (UTC unless it names a zone). The offset is the first record''s whose timestamp is at or after it')
            [CompletionResult]::new('--delete-before', '--delete-before', [CompletionResultType]::ParameterName, 'Delete every record before this offset (`end`: all of them); the log start offset moves there. Asks first on a terminal')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`plain` prints kafka-get-offsets.sh''s TOPIC:PARTITION:OFFSET lines (the offset at --time, else the latest)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation before deleting')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation before deleting')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;transactions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every transactional id the brokers coordinate, with its state')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions')
            [CompletionResult]::new('describe-producers', 'describe-producers', [CompletionResultType]::ParameterValue, 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;transactions;list' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--duration-filter', '--duration-filter', [CompletionResultType]::ParameterName, 'Only transactions open longer than this many milliseconds (a negative number: all)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;transactions;describe' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--transactional-id', '--transactional-id', [CompletionResultType]::ParameterName, 'The transactional id to describe')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;transactions;describe-producers' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'partition')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;transactions;abort' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'topic')
            [CompletionResult]::new('--partition', '--partition', [CompletionResultType]::ParameterName, 'partition')
            [CompletionResult]::new('--start-offset', '--start-offset', [CompletionResultType]::ParameterName, 'The first offset of the transaction to abort (as `describe-producers` shows it); the producer is looked up from it')
            [CompletionResult]::new('--producer-id', '--producer-id', [CompletionResultType]::ParameterName, 'The producer whose transaction to abort, instead of --start-offset')
            [CompletionResult]::new('--producer-epoch', '--producer-epoch', [CompletionResultType]::ParameterName, 'With --producer-id: its epoch')
            [CompletionResult]::new('--coordinator-epoch', '--coordinator-epoch', [CompletionResultType]::ParameterName, 'With --producer-id: the coordinator epoch for the marker (-1 is taken as 0, as kafka-transactions.sh does)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'output')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;transactions;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every transactional id the brokers coordinate, with its state')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions')
            [CompletionResult]::new('describe-producers', 'describe-producers', [CompletionResultType]::ParameterValue, 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;transactions;help;list' {
            break
        }
        'dq;transactions;help;describe' {
            break
        }
        'dq;transactions;help;describe-producers' {
            break
        }
        'dq;transactions;help;abort' {
            break
        }
        'dq;transactions;help;help' {
            break
        }
        'dq;repl' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;generate' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completion scripts, one file per shell (all shells when none is named)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;generate;completions' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to write them')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Print the one named shell''s script to stdout instead (`source <(dq generate completions bash --stdout)`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;generate;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to write them')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;generate;help' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completion scripts, one file per shell (all shells when none is named)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;generate;help;completions' {
            break
        }
        'dq;generate;help;man' {
            break
        }
        'dq;generate;help;help' {
            break
        }
        'dq;profile' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles in the config file, and which one is selected')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;profile;list' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Mark this profile as selected, as `--profile` would [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;profile;show' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` for people; `json` for scripts (a stable schema)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;profile;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles in the config file, and which one is selected')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;profile;help;list' {
            break
        }
        'dq;profile;help;show' {
            break
        }
        'dq;profile;help;help' {
            break
        }
        'dq;perf' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;perf;produce' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to write to (the flag Kafka''s tool takes)')
            [CompletionResult]::new('--num-records', '--num-records', [CompletionResultType]::ParameterName, 'How many records to send')
            [CompletionResult]::new('--record-size', '--record-size', [CompletionResultType]::ParameterName, 'Each record''s value is this many bytes (random uppercase letters, the same for every record, as in Kafka''s tool)')
            [CompletionResult]::new('--payload-file', '--payload-file', [CompletionResultType]::ParameterName, 'Each record''s value is picked at random from the pieces of this file (split at --payload-delimiter; empty pieces are skipped)')
            [CompletionResult]::new('--payload-delimiter', '--payload-delimiter', [CompletionResultType]::ParameterName, 'What separates values in --payload-file; escapes like \n, \t, \0 and \xHH work')
            [CompletionResult]::new('--throughput', '--throughput', [CompletionResultType]::ParameterName, 'At most this many records per second; -1 for no limit')
            [CompletionResult]::new('--acks', '--acks', [CompletionResultType]::ParameterName, 'Acknowledgements to wait for: none, the leader, or all in-sync replicas (-1 is all)')
            [CompletionResult]::new('--producer-props', '--producer-props', [CompletionResultType]::ParameterName, 'Producer settings, as Kafka''s tool takes them (librdkafka names, or Java ones it translates); applied after -X and --command-config. Takes every word after it: put TOPIC first, or use --topic')
            [CompletionResult]::new('--report-interval', '--report-interval', [CompletionResultType]::ParameterName, 'How often to print a line about the last interval (text output only)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text`: Kafka''s lines; `json`: one object at the end')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;perf;consume' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-server', '--bootstrap-server', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('--bootstrap-servers', '--bootstrap-servers', [CompletionResultType]::ParameterName, 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]')
            [CompletionResult]::new('-X', '-X ', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--property', '--property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--producer-property', '--producer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--consumer-property', '--consumer-property', [CompletionResultType]::ParameterName, 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win')
            [CompletionResult]::new('--command-config', '--command-config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--producer.config', '--producer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--consumer.config', '--consumer.config', [CompletionResultType]::ParameterName, 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to read (the flag Kafka''s tool takes)')
            [CompletionResult]::new('--messages', '--messages', [CompletionResultType]::ParameterName, 'Stop after this many records, or when none arrives for --timeout. Without it: stop at the end of the topic as it was at the start')
            [CompletionResult]::new('-g', '-g', [CompletionResultType]::ParameterName, 'Read as this consumer group (joining it, starting from its committed offsets and committing); without it, partitions are assigned directly')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Read as this consumer group (joining it, starting from its committed offsets and committing); without it, partitions are assigned directly')
            [CompletionResult]::new('--report-interval', '--report-interval', [CompletionResultType]::ParameterName, 'How often --show-detailed-stats prints a row')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text`: Kafka''s header and row; `json`: one object at the end')
            [CompletionResult]::new('--from-latest', '--from-latest', [CompletionResultType]::ParameterName, 'Start at the end instead of the beginning (with a group: when it has no committed offset)')
            [CompletionResult]::new('--show-detailed-stats', '--show-detailed-stats', [CompletionResultType]::ParameterName, 'Print a row per --report-interval instead of one summary row')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;perf;help' {
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;perf;help;produce' {
            break
        }
        'dq;perf;help;consume' {
            break
        }
        'dq;perf;help;help' {
            break
        }
        'dq;dump-log' {
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, '`text` prints kafka-dump-log.sh''s lines; `json` one object per batch (see docs/json.md)')
            [CompletionResult]::new('--records', '--records', [CompletionResultType]::ParameterName, 'Also print every record: offset, timestamp, key, value and headers (Kafka''s --print-data-log); compressed batches are decompressed. A batch whose records cannot be decoded counts as invalid')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'Exit 1 when any batch is invalid (bad length, magic, CRC-32C or offsets; with --records, records that do not decode), naming each; 0 when every batch checks out')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dq;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run a single-node broker that speaks the Kafka wire protocol')
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Write records from stdin or a file to a topic, with delivery reports')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read records from topics to stdout')
            [CompletionResult]::new('topics', 'topics', [CompletionResultType]::ParameterValue, 'List, describe, create, alter and delete topics (kafka-topics.sh)')
            [CompletionResult]::new('groups', 'groups', [CompletionResultType]::ParameterValue, 'List, describe, reset the offsets of, and delete consumer groups')
            [CompletionResult]::new('offsets', 'offsets', [CompletionResultType]::ParameterValue, 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset')
            [CompletionResult]::new('transactions', 'transactions', [CompletionResultType]::ParameterValue, 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)')
            [CompletionResult]::new('repl', 'repl', [CompletionResultType]::ParameterValue, 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write shell completions or man pages, generated from this binary''s own flags')
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'List the connection profiles in the config file, or show the settings in force and where each comes from')
            [CompletionResult]::new('perf', 'perf', [CompletionResultType]::ParameterValue, 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)')
            [CompletionResult]::new('dump-log', 'dump-log', [CompletionResultType]::ParameterValue, 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dq;help;serve' {
            break
        }
        'dq;help;produce' {
            break
        }
        'dq;help;consume' {
            break
        }
        'dq;help;topics' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Topic names, partition counts and whether each is internal')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a topic')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Add partitions to a topic or change its configs')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete topics and all their records')
            break
        }
        'dq;help;topics;list' {
            break
        }
        'dq;help;topics;describe' {
            break
        }
        'dq;help;topics;create' {
            break
        }
        'dq;help;topics;alter' {
            break
        }
        'dq;help;topics;delete' {
            break
        }
        'dq;help;groups' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the consumer groups with their state, protocol and member count')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)')
            [CompletionResult]::new('reset-offsets', 'reset-offsets', [CompletionResultType]::ParameterValue, 'Move a group''s committed offsets (a dry run unless --execute)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete groups and their committed offsets')
            [CompletionResult]::new('delete-offsets', 'delete-offsets', [CompletionResultType]::ParameterValue, 'Delete a group''s committed offsets for some topics or partitions')
            [CompletionResult]::new('alter', 'alter', [CompletionResultType]::ParameterValue, 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic')
            break
        }
        'dq;help;groups;list' {
            break
        }
        'dq;help;groups;describe' {
            break
        }
        'dq;help;groups;reset-offsets' {
            break
        }
        'dq;help;groups;delete' {
            break
        }
        'dq;help;groups;delete-offsets' {
            break
        }
        'dq;help;groups;alter' {
            break
        }
        'dq;help;offsets' {
            break
        }
        'dq;help;transactions' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every transactional id the brokers coordinate, with its state')
            [CompletionResult]::new('describe', 'describe', [CompletionResultType]::ParameterValue, 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions')
            [CompletionResult]::new('describe-producers', 'describe-producers', [CompletionResultType]::ParameterValue, 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts')
            [CompletionResult]::new('abort', 'abort', [CompletionResultType]::ParameterValue, 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)')
            break
        }
        'dq;help;transactions;list' {
            break
        }
        'dq;help;transactions;describe' {
            break
        }
        'dq;help;transactions;describe-producers' {
            break
        }
        'dq;help;transactions;abort' {
            break
        }
        'dq;help;repl' {
            break
        }
        'dq;help;generate' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completion scripts, one file per shell (all shells when none is named)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)')
            break
        }
        'dq;help;generate;completions' {
            break
        }
        'dq;help;generate;man' {
            break
        }
        'dq;help;profile' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The profiles in the config file, and which one is selected')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from')
            break
        }
        'dq;help;profile;list' {
            break
        }
        'dq;help;profile;show' {
            break
        }
        'dq;help;perf' {
            [CompletionResult]::new('produce', 'produce', [CompletionResultType]::ParameterValue, 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)')
            [CompletionResult]::new('consume', 'consume', [CompletionResultType]::ParameterValue, 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)')
            break
        }
        'dq;help;perf;produce' {
            break
        }
        'dq;help;perf;consume' {
            break
        }
        'dq;help;dump-log' {
            break
        }
        'dq;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
