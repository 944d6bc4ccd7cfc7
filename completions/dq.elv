
use builtin;
use str;

set edit:completion:arg-completer[dq] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dq'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dq'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand serve 'Run a single-node broker that speaks the Kafka wire protocol'
            cand produce 'Write records from stdin or a file to a topic, with delivery reports'
            cand consume 'Read records from topics to stdout'
            cand topics 'List, describe, create, alter and delete topics (kafka-topics.sh)'
            cand groups 'List, describe, reset the offsets of, and delete consumer groups'
            cand offsets 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset'
            cand transactions 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)'
            cand repl 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)'
            cand generate 'Write shell completions or man pages, generated from this binary''s own flags'
            cand profile 'List the connection profiles in the config file, or show the settings in force and where each comes from'
            cand perf 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)'
            cand dump-log 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;serve'= {
            cand --listen 'Address to listen on; every address the host resolves to is bound. Port 0 picks a free port'
            cand --advertised-listener 'Address clients are told to connect to (defaults to the listen host and bound port)'
            cand --data-dir 'Where topics and their segments are kept [default: $DQ_DATA_DIR, else $XDG_DATA_HOME/dq, else ~/.local/share/dq]'
            cand --partitions 'Partition count for auto-created topics and topics created without one'
            cand --segment-bytes 'Size at which a segment file rolls (suffixes K, M, G accepted) [default: 1G]. The broker''s log.segment.bytes; AlterConfigs can change it at run time'
            cand --group-initial-rebalance-delay 'How long the first member of an empty consumer group waits for others before the group forms, extended by each newcomer up to the rebalance timeout (Kafka''s group.initial.rebalance.delay.ms; 0 forms it at once) [default: 3s]. AlterConfigs can change it at run time'
            cand --max-request-bytes 'Largest request accepted; larger ones close the connection'
            cand --request-timeout 'A request must arrive whole within this of its first byte, or the connection is closed (like Kafka''s request.timeout.ms; 500ms, 30s, 2m)'
            cand --max-connections 'Connections served at once; more are closed as they arrive [default: 1000, or a quarter of the open-file limit if that is less]'
            cand --queued-max-request-bytes 'Bytes of requests held in memory at once, over all connections; a connection waits for room before its next request is read'
            cand --max-open-files 'Segment files kept open at once, each partition''s active log included [default: the open-file limit less the connections and 256]'
            cand --max-partitions 'Partitions the broker holds over all topics; CreateTopics and CreatePartitions beyond it are refused [default: nine tenths of the open segment files, at most 100000]'
            cand --group-consumer-session-timeout 'A consumer-protocol group member (`group.protocol=consumer`) without a heartbeat for this long is removed and its partitions reassigned, like Kafka''s group.consumer.session.timeout.ms (500ms, 30s, 2m)'
            cand --group-consumer-heartbeat-interval 'How often consumer-protocol group members are told to heartbeat, like Kafka''s group.consumer.heartbeat.interval.ms; below the session timeout'
            cand --share-session-timeout 'A share-group member without a heartbeat for this long is removed and its records released, like Kafka''s group.share.session.timeout.ms (a group''s share.session.timeout.ms overrides it)'
            cand --share-heartbeat-interval 'How often share-group members are told to heartbeat, like Kafka''s group.share.heartbeat.interval.ms; below the session timeout'
            cand --share-record-lock-duration 'How long a share-group member holds a record it fetched before it is offered again, like Kafka''s group.share.record.lock.duration.ms'
            cand --share-delivery-count-limit 'Deliveries of a record to a share group before it is archived (or dead-lettered), like Kafka''s group.share.delivery.count.limit (2 to 10)'
            cand --share-partition-max-record-locks 'Records in flight (acquired, not yet acknowledged) per share-partition, like Kafka''s group.share.partition.max.record.locks (100 to 10000)'
            cand --share-max-size 'Members of one share group, like Kafka''s group.share.max.size'
            cand --dead-letter-topic-prefix 'The prefix every share group''s dead-letter topic must start with, like Kafka''s errors.deadletterqueue.topic.name.prefix (KIP-1191); empty for any name'
            cand --transactional-id-expiration 'A transactional id unused this long is forgotten, like Kafka''s transactional.id.expiration.ms (checked once a second)'
            cand --producer-id-expiration 'A partition forgets an idempotent or transactional producer that wrote nothing for this long and has no open transaction, like Kafka''s producer.id.expiration.ms (checked every 30 seconds)'
            cand --log-level 'Log level (error, warn, info, debug, trace), or a RUST_LOG-style filter'
            cand --temp 'Keep data in a temporary directory that is removed on exit'
            cand --dead-letter-auto-create 'Create a share group''s missing dead-letter topic on its first dead letter, like Kafka''s errors.deadletterqueue.auto.create.topics.enable'
            cand --no-auto-create 'Do not create topics when a client asks for metadata of a missing one'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;produce'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand -f 'Read records from FILE instead of stdin (`-` is stdin)'
            cand --file 'Read records from FILE instead of stdin (`-` is stdin)'
            cand -D 'What separates records in the input; escapes like \n, \t, \0 and \xHH work'
            cand --delimiter 'What separates records in the input; escapes like \n, \t, \0 and \xHH work'
            cand --format '`lines`: each record is a value (with -k/-K/-H and parse.* properties); `json`: each record is the envelope `dq consume --output json` writes'
            cand -k 'The same key for every record'
            cand --key 'The same key for every record'
            cand -K 'Split each record into key and value at the first SEP (like `--property parse.key=true --property key.separator=SEP`)'
            cand --key-separator 'Split each record into key and value at the first SEP (like `--property parse.key=true --property key.separator=SEP`)'
            cand -H 'A header on every record; repeatable'
            cand --header 'A header on every record; repeatable'
            cand -p 'Send every record to this partition instead of hashing its key'
            cand --partition 'Send every record to this partition instead of hashing its key'
            cand --acks 'Acknowledgements to wait for: none, the leader, or all in-sync replicas [default: all; a transaction needs all]'
            cand -z 'Compression for record batches'
            cand --compression 'Compression for record batches'
            cand --null-marker 'A key, value or header value equal to this is sent as null (a tombstone)'
            cand --report 'Delivery reports: one line per record (`each`, the default on a terminal), a `summary` at the end (the default otherwise), or `none`. Failed records are always reported'
            cand --report-to 'Where delivery reports go'
            cand --output 'Delivery reports as text or as JSON lines'
            cand --transactional-id 'Send the input in a transaction under this transactional.id: all of it or none. Delivery reports come once it is committed; an error or a signal aborts it, and a failed transaction exits with 3. A later run with the same id fences this one. The broker aborts a transaction open longer than transaction.timeout.ms (a minute, or --timeout when longer; -X sets it)'
            cand --txn-every 'Commit a transaction every N records (and the rest at the end) instead of one for the whole input'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;consume'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --include 'Also read every topic whose whole name matches this regular expression'
            cand --whitelist 'Also read every topic whose whole name matches this regular expression'
            cand -g 'Consume as part of this consumer group: start from its committed offsets and commit what was read'
            cand --group 'Consume as part of this consumer group: start from its committed offsets and commit what was read'
            cand --share-group 'Read as a member of this share group (KIP-932, a queue): the broker hands each record to one member at a time, and each record written out is acknowledged as accepted. The group decides where reading starts (its share.auto.offset.reset config, latest by default)'
            cand --ack 'With --share-group: what happens to records fetched but not written out (past --max-messages, or when a signal or a closed pipe stops the command): `release` hands them back to the group for another delivery, `reject` archives them (onto the group''s dead-letter topic when it has one) [default: release]'
            cand --group-protocol 'The group''s rebalance protocol: `classic` (JoinGroup/SyncGroup, every broker) or `consumer` (Kafka 4''s KIP-848 protocol, with server-side assignment). librdkafka''s default, `classic`, when not given'
            cand -o 'Where to start: beginning, end, N (an offset), -N (N records before the end), or @TIME (ISO-8601, milliseconds since the epoch, or relative like @-1h)'
            cand --offset 'Where to start: beginning, end, N (an offset), -N (N records before the end), or @TIME (ISO-8601, milliseconds since the epoch, or relative like @-1h)'
            cand -p 'Read only this partition; repeatable'
            cand --partition 'Read only this partition; repeatable'
            cand -n 'Stop after this many records'
            cand --max-messages 'Stop after this many records'
            cand --timeout-ms 'Stop when no record arrives for this many milliseconds'
            cand --isolation-level '`read_committed` (librdkafka''s default) delivers the records of committed transactions only, and stops at the first record of a transaction still open; `read_uncommitted` delivers every record, aborted ones too [default: read_committed]. A share group''s share.isolation.level config decides for its members'
            cand -f 'kcat-style format: %t topic, %p partition, %o offset, %k key, %s value, %h headers, %T timestamp, %K/%S key/value length, and escapes like \n'
            cand --format 'kcat-style format: %t topic, %p partition, %o offset, %k key, %s value, %h headers, %T timestamp, %K/%S key/value length, and escapes like \n'
            cand --output '`text`: the value (or Kafka''s print.* layout); `json`: one envelope per line'
            cand --time-format 'Timestamps as milliseconds since the epoch or as ISO-8601 (UTC)'
            cand --from-beginning 'Start at the earliest record (with a group: when it has no committed offset)'
            cand -e 'Stop once every partition has been read up to where it ended when the command started; with --share-group, at the first fetch that brings nothing (every record is delivered, or held by other members)'
            cand --exit-at-end 'Stop once every partition has been read up to where it ended when the command started; with --share-group, at the first fetch that brings nothing (every record is delivered, or held by other members)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand --topic 'The topic to act on; repeatable for --describe and --delete'
            cand --partitions 'With --create: the partition count; with --alter: the new, larger one'
            cand --replication-factor 'With --create: copies of each partition (only 1 on `dq serve`)'
            cand --config 'With --create or --alter: a topic config to set; repeatable'
            cand --add-config 'With --create or --alter: a topic config to set; repeatable'
            cand --delete-config 'With --alter: a config override to remove; repeatable'
            cand --create 'Kafka spelling of `dq topics create`'
            cand --list 'Kafka spelling of `dq topics list`'
            cand --describe 'Kafka spelling of `dq topics describe`'
            cand --alter 'Kafka spelling of `dq topics alter`'
            cand --delete 'Kafka spelling of `dq topics delete`'
            cand --if-not-exists 'With --create: succeed when the topic already exists'
            cand --if-exists 'With --delete: succeed for topics that do not exist'
            cand --include-internal 'With --list or --describe: include internal topics'
            cand -y 'With --delete: do not ask for confirmation'
            cand --yes 'With --delete: do not ask for confirmation'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Topic names, partition counts and whether each is internal'
            cand describe 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
            cand create 'Create a topic'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete topics and all their records'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;topics;list'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand --include-internal 'Also list internal topics such as __consumer_offsets'
            cand --names-only 'Print only the names, one per line, as `kafka-topics.sh --list` does'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics;describe'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand --include-internal 'With no TOPIC: describe internal topics too'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics;create'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand --partitions 'Number of partitions (default: the broker''s num.partitions)'
            cand --replication-factor 'Copies of each partition (default: the broker''s; `dq serve` has one broker, so only 1 is possible there)'
            cand --config 'A topic config, e.g. --config retention.ms=3600000; repeatable'
            cand --if-not-exists 'Succeed without changing anything when the topic already exists'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics;alter'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand --partitions 'Grow the topic to this many partitions (Kafka cannot shrink one)'
            cand --config 'Set a topic config, leaving the other overrides as they are; repeatable'
            cand --add-config 'Set a topic config, leaving the other overrides as they are; repeatable'
            cand --delete-config 'Remove a config override (the broker default applies again); repeatable'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics;delete'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand -y 'Do not ask for confirmation (no question is asked without a terminal)'
            cand --yes 'Do not ask for confirmation (no question is asked without a terminal)'
            cand --if-exists 'Succeed for topics that do not exist'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;topics;help'= {
            cand list 'Topic names, partition counts and whether each is internal'
            cand describe 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
            cand create 'Create a topic'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete topics and all their records'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;topics;help;list'= {
        }
        &'dq;topics;help;describe'= {
        }
        &'dq;topics;help;create'= {
        }
        &'dq;topics;help;alter'= {
        }
        &'dq;topics;help;delete'= {
        }
        &'dq;topics;help;help'= {
        }
        &'dq;groups'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the consumer groups with their state, protocol and member count'
            cand describe 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete groups and their committed offsets'
            cand delete-offsets 'Delete a group''s committed offsets for some topics or partitions'
            cand alter 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;groups;list'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;describe'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output 'JSON always holds every view: state, members, partitions and lag'
            cand --members 'Show the members: consumer id, host, client id and partition count'
            cand -v 'With --members: also each member''s assigned partitions'
            cand --verbose 'With --members: also each member''s assigned partitions'
            cand --state 'Show the group''s state, assignment strategy and member count'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;reset-offsets'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'Reset these topics: TOPIC (every partition) or TOPIC:P,P,...; repeatable'
            cand --to-offset 'To this offset (kept within the log''s bounds)'
            cand --shift-by 'Forward (N) or back (-N) from the committed offset'
            cand --to-datetime 'To the first record at or after this time: ISO-8601 (UTC unless it names a zone) or milliseconds since the epoch'
            cand --by-duration 'To the first record at most this long ago: PnDTnHnMnS as Kafka takes it, or 90m, 2h, 1d'
            cand --from-file 'To the offsets in a CSV of topic,partition,offset lines (Kafka''s format); its partitions are the scope unless --topic narrows it'
            cand --output 'output'
            cand --all-topics 'Reset every topic the group has committed offsets for'
            cand --to-earliest 'To the earliest offset still in the log'
            cand --to-latest 'To the end of the log (skip everything there now)'
            cand --to-current 'To the committed offset (the end where there is none)'
            cand --execute 'Commit the new offsets; without it nothing changes (a dry run)'
            cand --dry-run 'Accepted for kafka-consumer-groups.sh habits: the default anyway'
            cand -y 'With --execute: do not ask for confirmation (it is only asked on a terminal)'
            cand --yes 'With --execute: do not ask for confirmation (it is only asked on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;delete'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output 'output'
            cand -y 'Do not ask for confirmation (it is only asked on a terminal)'
            cand --yes 'Do not ask for confirmation (it is only asked on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;delete-offsets'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'TOPIC (every partition) or TOPIC:P,P,...; repeatable'
            cand --output 'output'
            cand -y 'Do not ask for confirmation (it is only asked on a terminal)'
            cand --yes 'Do not ask for confirmation (it is only asked on a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;alter'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --config 'Set a group config, under Kafka''s name: share.record.lock.duration.ms, share.delivery.count.limit, share.auto.offset.reset, share.isolation.level, share.session.timeout.ms, share.heartbeat.interval.ms, consumer.session.timeout.ms, …; repeatable'
            cand --delete-config 'Remove a group config (the broker''s default applies again); repeatable'
            cand --dead-letter-topic 'The share group''s dead-letter topic (KIP-1191): records a member rejects, or that reach the delivery count limit, are copied there before they are archived. Its name must start with the broker''s prefix (errors.deadletterqueue.topic.name.prefix, `dlq.` by default); it is created, with errors.deadletterqueue.group.enable=true, when missing'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;groups;help'= {
            cand list 'List the consumer groups with their state, protocol and member count'
            cand describe 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete groups and their committed offsets'
            cand delete-offsets 'Delete a group''s committed offsets for some topics or partitions'
            cand alter 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;groups;help;list'= {
        }
        &'dq;groups;help;describe'= {
        }
        &'dq;groups;help;reset-offsets'= {
        }
        &'dq;groups;help;delete'= {
        }
        &'dq;groups;help;delete-offsets'= {
        }
        &'dq;groups;help;alter'= {
        }
        &'dq;groups;help;help'= {
        }
        &'dq;offsets'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand -p 'Only these partitions (every one by default); repeatable or comma-separated'
            cand --partition 'Only these partitions (every one by default); repeatable or comma-separated'
            cand --time 'Also the offset at a time: -1 (latest), -2 (earliest), milliseconds since the epoch, or ISO-8601 (UTC unless it names a zone). The offset is the first record''s whose timestamp is at or after it'
            cand --delete-before 'Delete every record before this offset (`end`: all of them); the log start offset moves there. Asks first on a terminal'
            cand --output '`plain` prints kafka-get-offsets.sh''s TOPIC:PARTITION:OFFSET lines (the offset at --time, else the latest)'
            cand -y 'Do not ask for confirmation before deleting'
            cand --yes 'Do not ask for confirmation before deleting'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;transactions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Every transactional id the brokers coordinate, with its state'
            cand describe 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions'
            cand describe-producers 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts'
            cand abort 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;transactions;list'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --duration-filter 'Only transactions open longer than this many milliseconds (a negative number: all)'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;transactions;describe'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --transactional-id 'The transactional id to describe'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;transactions;describe-producers'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'topic'
            cand --partition 'partition'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;transactions;abort'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'topic'
            cand --partition 'partition'
            cand --start-offset 'The first offset of the transaction to abort (as `describe-producers` shows it); the producer is looked up from it'
            cand --producer-id 'The producer whose transaction to abort, instead of --start-offset'
            cand --producer-epoch 'With --producer-id: its epoch'
            cand --coordinator-epoch 'With --producer-id: the coordinator epoch for the marker (-1 is taken as 0, as kafka-transactions.sh does)'
            cand --output 'output'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;transactions;help'= {
            cand list 'Every transactional id the brokers coordinate, with its state'
            cand describe 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions'
            cand describe-producers 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts'
            cand abort 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;transactions;help;list'= {
        }
        &'dq;transactions;help;describe'= {
        }
        &'dq;transactions;help;describe-producers'= {
        }
        &'dq;transactions;help;abort'= {
        }
        &'dq;transactions;help;help'= {
        }
        &'dq;repl'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;generate'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand completions 'Shell completion scripts, one file per shell (all shells when none is named)'
            cand man 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;generate;completions'= {
            cand --dir 'Where to write them'
            cand --stdout 'Print the one named shell''s script to stdout instead (`source <(dq generate completions bash --stdout)`)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;generate;man'= {
            cand --dir 'Where to write them'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;generate;help'= {
            cand completions 'Shell completion scripts, one file per shell (all shells when none is named)'
            cand man 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;generate;help;completions'= {
        }
        &'dq;generate;help;man'= {
        }
        &'dq;generate;help;help'= {
        }
        &'dq;profile'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'The profiles in the config file, and which one is selected'
            cand show 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;profile;list'= {
            cand --profile 'Mark this profile as selected, as `--profile` would [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;profile;show'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --output '`text` for people; `json` for scripts (a stable schema)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;profile;help'= {
            cand list 'The profiles in the config file, and which one is selected'
            cand show 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;profile;help;list'= {
        }
        &'dq;profile;help;show'= {
        }
        &'dq;profile;help;help'= {
        }
        &'dq;perf'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand produce 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
            cand consume 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;perf;produce'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'Topic to write to (the flag Kafka''s tool takes)'
            cand --num-records 'How many records to send'
            cand --record-size 'Each record''s value is this many bytes (random uppercase letters, the same for every record, as in Kafka''s tool)'
            cand --payload-file 'Each record''s value is picked at random from the pieces of this file (split at --payload-delimiter; empty pieces are skipped)'
            cand --payload-delimiter 'What separates values in --payload-file; escapes like \n, \t, \0 and \xHH work'
            cand --throughput 'At most this many records per second; -1 for no limit'
            cand --acks 'Acknowledgements to wait for: none, the leader, or all in-sync replicas (-1 is all)'
            cand --producer-props 'Producer settings, as Kafka''s tool takes them (librdkafka names, or Java ones it translates); applied after -X and --command-config. Takes every word after it: put TOPIC first, or use --topic'
            cand --report-interval 'How often to print a line about the last interval (text output only)'
            cand --output '`text`: Kafka''s lines; `json`: one object at the end'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;perf;consume'= {
            cand -b 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-server 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand --bootstrap-servers 'Broker(s) to bootstrap from, comma-separated [default: $DQ_BOOTSTRAP_SERVERS, else the profile''s, else localhost:9092]'
            cand -X 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --producer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --consumer-property 'A librdkafka setting (e.g. -X security.protocol=SASL_SSL), or a console format property (print.key=true, parse.key=true, key.separator=:, …). Repeatable; later ones win'
            cand --command-config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --producer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --consumer.config 'A Java-style .properties file of client settings, as the Kafka tools take (security.protocol, sasl.*, ssl.*); -X flags override it'
            cand --timeout 'How long to wait for the broker: to connect, and for each record''s acknowledgement (e.g. 30s, 500ms, 2m; a bare number is seconds) [default: the profile''s, else 30s]'
            cand --profile 'A named connection from the config file ($DQ_CONFIG, else ~/.config/dq/config.toml); `dq profile list` shows them [default: $DQ_PROFILE, else the file''s `default`]'
            cand --topic 'Topic to read (the flag Kafka''s tool takes)'
            cand --messages 'Stop after this many records, or when none arrives for --timeout. Without it: stop at the end of the topic as it was at the start'
            cand -g 'Read as this consumer group (joining it, starting from its committed offsets and committing); without it, partitions are assigned directly'
            cand --group 'Read as this consumer group (joining it, starting from its committed offsets and committing); without it, partitions are assigned directly'
            cand --report-interval 'How often --show-detailed-stats prints a row'
            cand --output '`text`: Kafka''s header and row; `json`: one object at the end'
            cand --from-latest 'Start at the end instead of the beginning (with a group: when it has no committed offset)'
            cand --show-detailed-stats 'Print a row per --report-interval instead of one summary row'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;perf;help'= {
            cand produce 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
            cand consume 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;perf;help;produce'= {
        }
        &'dq;perf;help;consume'= {
        }
        &'dq;perf;help;help'= {
        }
        &'dq;dump-log'= {
            cand --output '`text` prints kafka-dump-log.sh''s lines; `json` one object per batch (see docs/json.md)'
            cand --records 'Also print every record: offset, timestamp, key, value and headers (Kafka''s --print-data-log); compressed batches are decompressed. A batch whose records cannot be decoded counts as invalid'
            cand --verify 'Exit 1 when any batch is invalid (bad length, magic, CRC-32C or offsets; with --records, records that do not decode), naming each; 0 when every batch checks out'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dq;help'= {
            cand serve 'Run a single-node broker that speaks the Kafka wire protocol'
            cand produce 'Write records from stdin or a file to a topic, with delivery reports'
            cand consume 'Read records from topics to stdout'
            cand topics 'List, describe, create, alter and delete topics (kafka-topics.sh)'
            cand groups 'List, describe, reset the offsets of, and delete consumer groups'
            cand offsets 'Show partition offsets (earliest, latest, at a time) or delete the records before an offset'
            cand transactions 'List and describe transactions and the producers of a partition, and abort a hanging transaction (kafka-transactions.sh)'
            cand repl 'An interactive prompt where every subcommand runs, with Tab completion of commands, flags, topics and groups (also `dq` alone on a terminal)'
            cand generate 'Write shell completions or man pages, generated from this binary''s own flags'
            cand profile 'List the connection profiles in the config file, or show the settings in force and where each comes from'
            cand perf 'Measure throughput and latency (kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh)'
            cand dump-log 'Print the record batches of segment files, check them with --verify (kafka-dump-log.sh)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dq;help;serve'= {
        }
        &'dq;help;produce'= {
        }
        &'dq;help;consume'= {
        }
        &'dq;help;topics'= {
            cand list 'Topic names, partition counts and whether each is internal'
            cand describe 'Partitions (leader, replicas, ISR, earliest and latest offsets, size on disk) and config overrides of topics; every topic when none is named'
            cand create 'Create a topic'
            cand alter 'Add partitions to a topic or change its configs'
            cand delete 'Delete topics and all their records'
        }
        &'dq;help;topics;list'= {
        }
        &'dq;help;topics;describe'= {
        }
        &'dq;help;topics;create'= {
        }
        &'dq;help;topics;alter'= {
        }
        &'dq;help;topics;delete'= {
        }
        &'dq;help;groups'= {
            cand list 'List the consumer groups with their state, protocol and member count'
            cand describe 'Show a group''s committed offsets and lag per partition (or, with --members / --state, its members or its state)'
            cand reset-offsets 'Move a group''s committed offsets (a dry run unless --execute)'
            cand delete 'Delete groups and their committed offsets'
            cand delete-offsets 'Delete a group''s committed offsets for some topics or partitions'
            cand alter 'Set or delete a group''s configs (kafka-configs.sh --entity-type groups), or give a share group a dead-letter topic'
        }
        &'dq;help;groups;list'= {
        }
        &'dq;help;groups;describe'= {
        }
        &'dq;help;groups;reset-offsets'= {
        }
        &'dq;help;groups;delete'= {
        }
        &'dq;help;groups;delete-offsets'= {
        }
        &'dq;help;groups;alter'= {
        }
        &'dq;help;offsets'= {
        }
        &'dq;help;transactions'= {
            cand list 'Every transactional id the brokers coordinate, with its state'
            cand describe 'The state of one transactional id: its producer, its open transaction and that transaction''s partitions'
            cand describe-producers 'The producers a partition''s leader keeps state for, and where each one''s open transaction starts'
            cand abort 'End a hanging transaction on one partition with an ABORT marker (needs administrative rights on a secured cluster)'
        }
        &'dq;help;transactions;list'= {
        }
        &'dq;help;transactions;describe'= {
        }
        &'dq;help;transactions;describe-producers'= {
        }
        &'dq;help;transactions;abort'= {
        }
        &'dq;help;repl'= {
        }
        &'dq;help;generate'= {
            cand completions 'Shell completion scripts, one file per shell (all shells when none is named)'
            cand man 'Man pages: dq(1) and one page per subcommand (dq-topics-create(1), …)'
        }
        &'dq;help;generate;completions'= {
        }
        &'dq;help;generate;man'= {
        }
        &'dq;help;profile'= {
            cand list 'The profiles in the config file, and which one is selected'
            cand show 'The connection settings in force (with NAME: as `--profile NAME` would make them) and where each comes from'
        }
        &'dq;help;profile;list'= {
        }
        &'dq;help;profile;show'= {
        }
        &'dq;help;perf'= {
            cand produce 'Send generated records as fast as allowed and report throughput and latency (kafka-producer-perf-test.sh)'
            cand consume 'Read records as fast as possible and report throughput (kafka-consumer-perf-test.sh)'
        }
        &'dq;help;perf;produce'= {
        }
        &'dq;help;perf;consume'= {
        }
        &'dq;help;dump-log'= {
        }
        &'dq;help;help'= {
        }
    ]
    $completions[$command]
}
