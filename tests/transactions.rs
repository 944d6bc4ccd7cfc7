//! Transactions at the wire level (fencing, timeouts, transactional offsets
//! across a SIGKILL, a restart that finishes a prepared commit), and with
//! real clients: kafkajs (tests/compat/txn_suite.js), kafka-python and
//! confluent_kafka (tests/compat/txn_suite.py).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use kafka_protocol::messages::add_partitions_to_txn_request::AddPartitionsToTxnTopic;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::fetch_response::PartitionData;
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestTopic;
use kafka_protocol::messages::txn_offset_commit_request::{
    TxnOffsetCommitRequestPartition, TxnOffsetCommitRequestTopic,
};
use kafka_protocol::messages::*;
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::records::*;

use crate::bad_input::create_topic;
use crate::support::*;

const CONCURRENT_TRANSACTIONS: i16 = 51;
const INVALID_PRODUCER_EPOCH: i16 = 47;
const PRODUCER_FENCED: i16 = 90;
const INVALID_TRANSACTION_TIMEOUT: i16 = 50;
const UNSTABLE_OFFSET_COMMIT: i16 = 88;

fn s(v: &str) -> StrBytes {
    StrBytes::from_string(v.to_string())
}

/// InitProducerId for `txn`, retried while the coordinator is aborting the
/// previous producer's transaction; returns (producer id, epoch) or the error.
fn init(stream: &mut std::net::TcpStream, txn: &str, timeout_ms: i32) -> Result<(i64, i16), i16> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = call(
            stream,
            &InitProducerIdRequest::default()
                .with_transactional_id(Some(TransactionalId(s(txn))))
                .with_transaction_timeout_ms(timeout_ms)
                .with_producer_id(ProducerId(-1))
                .with_producer_epoch(-1),
            4,
        );
        match r.error_code {
            0 => return Ok((r.producer_id.0, r.producer_epoch)),
            CONCURRENT_TRANSACTIONS if Instant::now() < deadline => continue,
            e => return Err(e),
        }
    }
}

fn add_partition(
    stream: &mut std::net::TcpStream,
    txn: &str,
    producer: (i64, i16),
    topic: &str,
) -> i16 {
    let r = call(
        stream,
        &AddPartitionsToTxnRequest::default()
            .with_v3_and_below_transactional_id(TransactionalId(s(txn)))
            .with_v3_and_below_producer_id(ProducerId(producer.0))
            .with_v3_and_below_producer_epoch(producer.1)
            .with_v3_and_below_topics(vec![AddPartitionsToTxnTopic::default()
                .with_name(TopicName(s(topic)))
                .with_partitions(vec![0])]),
        3,
    );
    r.results_by_topic_v3_and_below[0].results_by_partition[0].partition_error_code
}

fn end_txn(
    stream: &mut std::net::TcpStream,
    txn: &str,
    producer: (i64, i16),
    commit: bool,
    version: i16,
) -> i16 {
    call(
        stream,
        &EndTxnRequest::default()
            .with_transactional_id(TransactionalId(s(txn)))
            .with_producer_id(ProducerId(producer.0))
            .with_producer_epoch(producer.1)
            .with_committed(commit),
        version,
    )
    .error_code
}

/// Produces one transactional batch of `values` (sequence from `sequence`).
fn produce_txn(
    stream: &mut std::net::TcpStream,
    topic: &str,
    producer: (i64, i16),
    sequence: i32,
    values: &[&str],
) -> i16 {
    let values: Vec<&[u8]> = values.iter().map(|v| v.as_bytes()).collect();
    let batch = producer_batch(
        ProducerStamp {
            producer_id: producer.0,
            epoch: producer.1,
            first_sequence: sequence,
            transactional: true,
        },
        &values,
    );
    let r = call(stream, &produce_request(topic, 0, batch, Some("t")), 9);
    r.responses[0].partition_responses[0].error_code
}

/// Fetches partition 0 of `topic` from offset 0 at an isolation level (0
/// read_uncommitted, 1 read_committed).
fn fetch(stream: &mut std::net::TcpStream, topic: &str, isolation: i8) -> PartitionData {
    let r = call(
        stream,
        &FetchRequest::default()
            .with_max_wait_ms(0)
            .with_max_bytes(1 << 20)
            .with_isolation_level(isolation)
            .with_topics(vec![FetchTopic::default()
                .with_topic(TopicName(s(topic)))
                .with_partitions(vec![FetchPartition::default()
                    .with_fetch_offset(0)
                    .with_partition_max_bytes(1 << 20)])]),
        11,
    );
    r.responses[0].partitions[0].clone()
}

/// (value, is control) of every record a fetch returned.
fn records(p: &PartitionData) -> Vec<(String, bool)> {
    let mut bytes = p.records.clone().unwrap_or_default();
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let set = RecordBatchDecoder::decode(&mut bytes).unwrap();
        for r in set.records {
            // A marker's value (version, coordinator epoch) is not shown.
            let v = match r.value {
                Some(v) if !r.control => String::from_utf8_lossy(&v).into_owned(),
                _ => String::new(),
            };
            out.push((v, r.control));
        }
    }
    out
}

fn describe(
    stream: &mut std::net::TcpStream,
    txn: &str,
) -> describe_transactions_response::TransactionState {
    let r = call(
        stream,
        &DescribeTransactionsRequest::default()
            .with_transactional_ids(vec![TransactionalId(s(txn))]),
        0,
    );
    r.transaction_states[0].clone()
}

fn wait_for_state(
    broker: &Broker,
    txn: &str,
    state: &str,
) -> describe_transactions_response::TransactionState {
    let mut stream = broker.connect();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let d = describe(&mut stream, txn);
        if d.transaction_state.as_str() == state {
            return d;
        }
        assert!(
            Instant::now() < deadline,
            "{txn} stayed {} (waiting for {state}); log:\n{}",
            d.transaction_state.as_str(),
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn find_coordinator_answers_for_transactional_ids() {
    let broker = Broker::start();
    let mut stream = broker.connect();
    let r = call(
        &mut stream,
        &FindCoordinatorRequest::default()
            .with_key_type(1)
            .with_coordinator_keys(vec![s("a"), s("b")]),
        4,
    );
    assert_eq!(r.coordinators.len(), 2);
    for c in &r.coordinators {
        assert_eq!(
            (c.error_code, c.node_id.0, c.port),
            (0, 0, i32::from(broker.port))
        );
    }
    let r = call(
        &mut stream,
        &FindCoordinatorRequest::default()
            .with_key_type(1)
            .with_key(s("a")),
        3,
    );
    assert_eq!((r.error_code, r.node_id.0), (0, 0));
    let r = call(
        &mut stream,
        &FindCoordinatorRequest::default()
            .with_key_type(7)
            .with_key(s("a")),
        3,
    );
    assert_eq!(r.error_code, 42, "INVALID_REQUEST for an unknown key type");
}

#[test]
fn a_new_producer_fences_the_old_one_and_aborts_its_transaction() {
    let broker = Broker::start();
    let mut stream = broker.connect();
    create_topic(&mut stream, "fence");
    assert_eq!(
        init(&mut stream, "t1", 1_000_000),
        Err(INVALID_TRANSACTION_TIMEOUT)
    );
    let old = init(&mut stream, "t1", 60_000).unwrap();
    assert_eq!(old.1, 0);
    assert_eq!(add_partition(&mut stream, "t1", old, "fence"), 0);
    assert_eq!(produce_txn(&mut stream, "fence", old, 0, &["old"]), 0);
    assert_eq!(
        describe(&mut stream, "t1").transaction_state.as_str(),
        "Ongoing"
    );

    // The first answer is CONCURRENT_TRANSACTIONS while the open
    // transaction is aborted (with a bumped epoch); the retry gets another bump.
    let new = init(&mut stream, "t1", 60_000).unwrap();
    assert_eq!(new, (old.0, 2));
    assert_eq!(end_txn(&mut stream, "t1", old, true, 3), PRODUCER_FENCED);
    assert_eq!(
        end_txn(&mut stream, "t1", old, true, 1),
        INVALID_PRODUCER_EPOCH,
        "v1 clients know only INVALID_PRODUCER_EPOCH"
    );
    assert_eq!(
        add_partition(&mut stream, "t1", old, "fence"),
        PRODUCER_FENCED
    );
    assert_ne!(
        produce_txn(&mut stream, "fence", old, 1, &["late"]),
        0,
        "the fenced producer cannot write"
    );

    let committed = fetch(&mut stream, "fence", 1);
    assert_eq!(committed.last_stable_offset, committed.high_watermark);
    let aborted = committed.aborted_transactions.clone().unwrap_or_default();
    assert_eq!(
        aborted.len(),
        1,
        "the old producer's transaction is listed as aborted"
    );
    assert_eq!(
        (aborted[0].producer_id.0, aborted[0].first_offset),
        (old.0, 0)
    );
    assert_eq!(
        records(&committed),
        vec![("old".to_string(), false), (String::new(), true)]
    );

    // The new producer's transaction commits.
    assert_eq!(add_partition(&mut stream, "t1", new, "fence"), 0);
    assert_eq!(produce_txn(&mut stream, "fence", new, 0, &["new"]), 0);
    let open = fetch(&mut stream, "fence", 1);
    assert_eq!(
        open.last_stable_offset, 2,
        "the LSO stops at the open transaction"
    );
    assert_eq!(end_txn(&mut stream, "t1", new, true, 3), 0);
    assert_eq!(
        end_txn(&mut stream, "t1", new, true, 3),
        0,
        "a retried commit succeeds"
    );
    assert_eq!(
        end_txn(&mut stream, "t1", new, false, 3),
        48,
        "INVALID_TXN_STATE: abort after commit"
    );
    let d = describe(&mut stream, "t1");
    assert_eq!(
        (d.transaction_state.as_str(), d.producer_epoch),
        ("CompleteCommit", 2)
    );
    let done = fetch(&mut stream, "fence", 1);
    assert_eq!(done.last_stable_offset, done.high_watermark);
    assert_eq!(done.high_watermark, 4);
    assert_eq!(
        done.aborted_transactions.clone().unwrap_or_default().len(),
        1
    );

    let listed = call(
        &mut stream,
        &ListTransactionsRequest::default()
            .with_state_filters(vec![s("CompleteCommit"), s("Nonsense")]),
        1,
    );
    assert_eq!(listed.transaction_states.len(), 1);
    assert_eq!(listed.transaction_states[0].transactional_id.as_str(), "t1");
    assert_eq!(listed.unknown_state_filters, vec![s("Nonsense")]);
}

#[test]
fn a_transaction_older_than_its_timeout_is_aborted_and_its_producer_fenced() {
    let broker = Broker::start();
    let mut stream = broker.connect();
    create_topic(&mut stream, "slow");
    let p = init(&mut stream, "slow-txn", 500).unwrap();
    assert_eq!(add_partition(&mut stream, "slow-txn", p, "slow"), 0);
    assert_eq!(produce_txn(&mut stream, "slow", p, 0, &["late"]), 0);
    let d = wait_for_state(&broker, "slow-txn", "CompleteAbort");
    assert_eq!(d.producer_epoch, p.1 + 1, "the abort bumped the epoch");
    assert_eq!(
        end_txn(&mut stream, "slow-txn", p, true, 3),
        PRODUCER_FENCED
    );
    let f = fetch(&mut stream, "slow", 1);
    assert_eq!(f.last_stable_offset, f.high_watermark);
    assert_eq!(f.aborted_transactions.clone().unwrap_or_default().len(), 1);
}

fn txn_offset_commit(
    stream: &mut std::net::TcpStream,
    txn: &str,
    producer: (i64, i16),
    group: &str,
    offset: i64,
) -> i16 {
    let r = call(
        stream,
        &AddOffsetsToTxnRequest::default()
            .with_transactional_id(TransactionalId(s(txn)))
            .with_producer_id(ProducerId(producer.0))
            .with_producer_epoch(producer.1)
            .with_group_id(GroupId(s(group))),
        3,
    );
    assert_eq!(r.error_code, 0, "AddOffsetsToTxn");
    let r = call(
        stream,
        &TxnOffsetCommitRequest::default()
            .with_transactional_id(TransactionalId(s(txn)))
            .with_group_id(GroupId(s(group)))
            .with_producer_id(ProducerId(producer.0))
            .with_producer_epoch(producer.1)
            .with_generation_id(-1)
            .with_topics(vec![TxnOffsetCommitRequestTopic::default()
                .with_name(TopicName(s("src")))
                .with_partitions(vec![TxnOffsetCommitRequestPartition::default()
                    .with_partition_index(0)
                    .with_committed_offset(offset)])]),
        3,
    );
    r.topics[0].partitions[0].error_code
}

/// (error, committed offset) of the group's offset for src-0.
fn offset_fetch(broker: &Broker, group: &str, require_stable: bool) -> (i16, i64) {
    let mut stream = broker.connect();
    let r = call(
        &mut stream,
        &OffsetFetchRequest::default()
            .with_group_id(GroupId(s(group)))
            .with_require_stable(require_stable)
            .with_topics(Some(vec![OffsetFetchRequestTopic::default()
                .with_name(TopicName(s("src")))
                .with_partition_indexes(vec![0])])),
        7,
    );
    let p = &r.topics[0].partitions[0];
    (p.error_code, p.committed_offset)
}

#[test]
fn transactional_offsets_count_only_once_committed_even_across_a_sigkill() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let mut broker = Broker::start_in(&data_dir, &[]);
    let mut stream = broker.connect();
    create_topic(&mut stream, "src");
    let p = init(&mut stream, "copier", 60_000).unwrap();
    assert_eq!(txn_offset_commit(&mut stream, "copier", p, "g", 42), 0);
    assert_eq!(
        offset_fetch(&broker, "g", false),
        (0, -1),
        "pending offsets are not the group's"
    );
    assert_eq!(
        offset_fetch(&broker, "g", true),
        (UNSTABLE_OFFSET_COMMIT, -1)
    );

    broker.kill();
    broker = Broker::start_in(&data_dir, &[]);
    assert_eq!(
        offset_fetch(&broker, "g", true),
        (UNSTABLE_OFFSET_COMMIT, -1),
        "still pending after a restart"
    );
    let mut stream = broker.connect();
    assert_eq!(
        describe(&mut stream, "copier").transaction_state.as_str(),
        "Ongoing"
    );
    assert_eq!(end_txn(&mut stream, "copier", p, true, 3), 0);
    assert_eq!(offset_fetch(&broker, "g", true), (0, 42));

    // An aborted transaction's offsets never show.
    assert_eq!(txn_offset_commit(&mut stream, "copier", p, "g", 50), 0);
    assert_eq!(end_txn(&mut stream, "copier", p, false, 3), 0);
    assert_eq!(offset_fetch(&broker, "g", true), (0, 42));

    broker.kill();
    broker = Broker::start_in(&data_dir, &[]);
    assert_eq!(
        offset_fetch(&broker, "g", true),
        (0, 42),
        "the committed offset survives, the aborted one stays out"
    );
}

/// The last offset in a segment file, by its batch headers.
fn last_offset(path: &std::path::Path) -> i64 {
    let bytes = std::fs::read(path).unwrap();
    let mut at = 0;
    let mut last = -1;
    while let Some(h) = dq::broker::storage::batch::BatchHeader::parse(&bytes[at..]) {
        last = h.last_offset();
        at += h.total_len();
        if at >= bytes.len() {
            break;
        }
    }
    last
}

#[test]
fn a_restart_finishes_a_commit_the_coordinator_had_prepared() {
    use dq::broker::coordinator::transaction_log::{encode_key, encode_value, TxnRecord, TxnState};

    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let mut broker = Broker::start_in(&data_dir, &[]);
    let mut stream = broker.connect();
    create_topic(&mut stream, "prep");
    let p = init(&mut stream, "prep-txn", 60_000).unwrap();
    assert_eq!(add_partition(&mut stream, "prep-txn", p, "prep"), 0);
    assert_eq!(produce_txn(&mut stream, "prep", p, 0, &["a", "b"]), 0);
    let d = describe(&mut stream, "prep-txn");
    broker.kill();

    // What a coordinator killed between the PrepareCommit and the markers
    // leaves in __transaction_state.
    let segment: PathBuf = broker
        .data_dir
        .join("__transaction_state-0/00000000000000000000.log");
    let record = TxnRecord {
        producer_id: p.0,
        producer_epoch: p.1,
        timeout_ms: 60_000,
        state: TxnState::PrepareCommit,
        partitions: [("prep".to_string(), 0)].into_iter().collect(),
        last_update_ms: 1_700_000_000_000,
        start_ms: d.transaction_start_time_ms,
    };
    let mut batch = BytesMut::from(
        &dq::broker::storage::batch::encode_plain(&[(
            Some(encode_key("prep-txn")),
            Some(encode_value(&record)),
            1_700_000_000_000,
        )])[..],
    );
    dq::broker::storage::batch::assign_offset(&mut batch, last_offset(&segment) + 1);
    append_bytes(&segment, &batch);

    broker = Broker::start_in(&data_dir, &[]);
    wait_for_state(&broker, "prep-txn", "CompleteCommit");
    let mut stream = broker.connect();
    let f = fetch(&mut stream, "prep", 1);
    assert_eq!(f.last_stable_offset, f.high_watermark);
    assert_eq!(f.high_watermark, 3, "two records and the COMMIT marker");
    assert!(f
        .aborted_transactions
        .clone()
        .unwrap_or_default()
        .is_empty());
    assert_eq!(
        records(&f),
        vec![
            ("a".to_string(), false),
            ("b".to_string(), false),
            (String::new(), true)
        ]
    );
}

fn compat() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compat")
}

#[test]
fn kafkajs_transactions_commit_and_abort() {
    let broker = Broker::start();
    assert!(
        compat().join("node_modules/kafkajs").exists(),
        "kafkajs is missing: run scripts/setup-test-env"
    );
    let r = run_json(
        Command::new("node")
            .arg(compat().join("txn_suite.js"))
            .args([&broker.bootstrap(), "commitabort"]),
        "kafkajs commitabort",
    );
    assert_eq!(
        r["committed"],
        serde_json::json!(["committed-1", "committed-2", "committed-3"])
    );
    assert_eq!(
        r["uncommitted"],
        serde_json::json!(["committed-1", "committed-2", "aborted-1", "committed-3"])
    );
    assert_eq!(
        r["groupOffset"], 5,
        "the aborted transaction's offsets do not count"
    );
}

#[test]
fn kafka_python_transactions_commit_and_abort() {
    let broker = Broker::start();
    let r = run_json(
        compat_python("txn_suite.py").args([&broker.bootstrap(), "kafka_python"]),
        "txn_suite kafka_python",
    );
    assert_eq!(
        r["committed"],
        serde_json::json!(["committed-1", "committed-2"])
    );
    assert_eq!(
        r["uncommitted"],
        serde_json::json!(["committed-1", "aborted-1", "committed-2"])
    );
}

#[test]
fn confluent_kafka_producers_are_fenced_by_a_newer_one() {
    let broker = Broker::start();
    let r = run_json(
        compat_python("txn_suite.py").args([&broker.bootstrap(), "fencing"]),
        "txn_suite fencing",
    );
    assert_eq!(r["first_commit_error"], "_FENCED", "{r}");
    assert_eq!(r["fatal"], true);
    assert_eq!(r["committed"], serde_json::json!(["from-the-new-producer"]));
}

/// Starts the copier (tests/compat/txn_suite.py copy) against `broker`.
fn start_copier(broker: &Broker, total: usize) -> std::process::Child {
    compat_python("txn_suite.py")
        .args([&broker.bootstrap(), "copy", &total.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting the copier")
}

/// Reads the copier's "committed N" lines until `commits` more transactions
/// were committed.
fn wait_for_commits(copier: &mut std::process::Child, commits: usize) {
    use std::io::BufRead;
    let stdout = copier.stdout.as_mut().expect("piped");
    let mut lines = std::io::BufReader::new(stdout).lines();
    for _ in 0..commits {
        match lines.next() {
            Some(Ok(line)) if line.starts_with("committed ") => {}
            other => panic!("the copier stopped before committing: {other:?}"),
        }
    }
}

#[test]
fn a_consume_transform_produce_copier_copies_exactly_once_through_sigkills() {
    const TOTAL: usize = 300;
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let mut broker = Broker::start_in(&data_dir, &[]);
    let mut stream = broker.connect();
    create_topic(&mut stream, "ctp-in");
    create_topic(&mut stream, "ctp-out");
    let inputs: Vec<Vec<u8>> = (0..TOTAL)
        .map(|i| format!("v{i:04}").into_bytes())
        .collect();
    let p = producer(&broker, &[]);
    produce_all(&p, "ctp-in", 0, &inputs);
    drop(p);

    // The copier is SIGKILLed three times, then the broker once.
    for round in 0..4 {
        let mut copier = start_copier(&broker, TOTAL);
        wait_for_commits(&mut copier, 3);
        if round == 3 {
            broker.kill();
            broker = Broker::start_in(&data_dir, &[]);
        }
        let _ = copier.kill();
        let _ = copier.wait();
    }
    let mut copier = start_copier(&broker, TOTAL);
    let status = copier.wait().unwrap();
    assert!(status.success(), "the last copier failed: {status}");

    let out = run_json(
        compat_python("txn_suite.py").args([&broker.bootstrap(), "read_out"]),
        "txn_suite read_out",
    );
    let mut values: Vec<String> = out["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let copied = values.len();
    values.sort();
    values.dedup();
    assert_eq!(copied, values.len(), "no record copied twice");
    let expected: Vec<String> = (0..TOTAL).map(|i| format!("v{i:04}")).collect();
    assert_eq!(values, expected, "every record copied");
}

#[test]
fn write_txn_markers_ends_a_hanging_transaction() {
    use kafka_protocol::messages::write_txn_markers_request::{
        WritableTxnMarker, WritableTxnMarkerTopic,
    };
    let broker = Broker::start();
    let mut stream = broker.connect();
    create_topic(&mut stream, "hang");
    let p = init(&mut stream, "hanging", 60_000).unwrap();
    assert_eq!(add_partition(&mut stream, "hanging", p, "hang"), 0);
    assert_eq!(produce_txn(&mut stream, "hang", p, 0, &["stuck"]), 0);
    assert_eq!(fetch(&mut stream, "hang", 1).last_stable_offset, 0);

    // What `kafka-transactions.sh abort` sends the partition's leader.
    let marker = |topic: &str, partition: i32| {
        WritableTxnMarker::default()
            .with_producer_id(ProducerId(p.0))
            .with_producer_epoch(p.1)
            .with_transaction_result(false)
            .with_coordinator_epoch(0)
            .with_topics(vec![WritableTxnMarkerTopic::default()
                .with_name(TopicName(s(topic)))
                .with_partition_indexes(vec![partition])])
    };
    let r = call(
        &mut stream,
        &WriteTxnMarkersRequest::default().with_markers(vec![marker("hang", 0), marker("nope", 0)]),
        1,
    );
    assert_eq!(r.markers[0].topics[0].partitions[0].error_code, 0);
    assert_eq!(
        r.markers[1].topics[0].partitions[0].error_code, 3,
        "UNKNOWN_TOPIC_OR_PARTITION"
    );
    let f = fetch(&mut stream, "hang", 1);
    assert_eq!((f.last_stable_offset, f.high_watermark), (2, 2));
    let aborted = f.aborted_transactions.clone().unwrap_or_default();
    assert_eq!(
        (aborted[0].producer_id.0, aborted[0].first_offset),
        (p.0, 0)
    );
}

/// Waits (polling, up to `secs`) until `done` holds.
fn wait_until(secs: u64, what: &str, broker: &Broker, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(
            Instant::now() < deadline,
            "{what} within {secs} s; log:\n{}",
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn idle_transactional_ids_and_producers_expire_as_dq_serve_is_told() {
    let broker = Broker::start_with(&[
        "--transactional-id-expiration",
        "1s",
        "--producer-id-expiration",
        "1s",
    ]);
    let mut stream = broker.connect();
    create_topic(&mut stream, "brief");
    let p = init(&mut stream, "brief-txn", 60_000).unwrap();
    assert_eq!(add_partition(&mut stream, "brief-txn", p, "brief"), 0);
    assert_eq!(produce_txn(&mut stream, "brief", p, 0, &["a"]), 0);
    assert_eq!(end_txn(&mut stream, "brief-txn", p, true, 3), 0);
    let producers = |stream: &mut std::net::TcpStream| {
        use kafka_protocol::messages::describe_producers_request::TopicRequest;
        let r = call(
            stream,
            &DescribeProducersRequest::default().with_topics(vec![TopicRequest::default()
                .with_name(TopicName(s("brief")))
                .with_partition_indexes(vec![0])]),
            0,
        );
        r.topics[0].partitions[0].active_producers.len()
    };
    assert_eq!(producers(&mut stream), 1);
    // Ids are checked once a second; producers every 30 s.
    wait_until(30, "the transactional id did not expire", &broker, || {
        describe(&mut stream, "brief-txn").error_code
            == kafka_protocol::ResponseError::TransactionalIdNotFound.code()
    });
    wait_until(90, "the producer was not forgotten", &broker, || {
        producers(&mut stream) == 0
    });
}
