//! Signals to the client commands: SIGTERM, SIGHUP and Ctrl-C stop `dq
//! produce` with every record read delivered or reported, a second Ctrl-C
//! exits at once with the count of unconfirmed records, `dq consume -g`
//! commits what it printed, and Ctrl-C ends a wait on a silent broker.

use std::io::Write;
use std::net::TcpListener;
use std::os::fd::AsRawFd;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::cli_support::{command, wait, LineReader};
use crate::support::{produce_all, producer, read_partition, Broker};

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: sending a signal to a child we own and have not reaped.
    unsafe { libc::kill(child.id() as i32, signal) };
}

/// Waits until `pid` has taken delivery of every pending signal (its handler
/// ran), read from /proc.
fn signals_delivered(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let pending = status
            .lines()
            .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
            .all(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|m| m.trim_start_matches('0').is_empty())
            });
        if pending {
            return;
        }
        assert!(Instant::now() < deadline, "dq did not take its signal");
        std::thread::yield_now();
    }
}

/// Bytes written into a pipe and not yet read by the other end.
fn unread(pipe: &impl AsRawFd) -> i32 {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one int; the fd is a live pipe.
    unsafe { libc::ioctl(pipe.as_raw_fd(), libc::FIONREAD, &mut n) };
    n
}

/// `dq: stopped by SIGNAL after reading N record(s): …` → N.
fn records_read(stderr: &str, by: &str) -> u64 {
    let prefix = format!("dq: stopped by {by} after reading ");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no '{prefix}' line in stderr:\n{stderr}"));
    line.split(' ').next().unwrap().parse().unwrap()
}

fn values(upto: u64) -> Vec<Vec<u8>> {
    (1..=upto).map(|i| format!("v{i}").into_bytes()).collect()
}

/// Pipes an endless stream into `dq produce`, stops it with `sig` once 1000
/// records are acknowledged, and checks that what it read is what the
/// broker holds, with the report it printed.
fn stop_mid_stream(sig: libc::c_int, name: &str, code: i32) {
    let broker = Broker::start();
    let bootstrap = broker.bootstrap();
    let topic = format!("stream-{name}");
    let mut child = command(&[
        "produce",
        "-b",
        &bootstrap,
        &topic,
        "--report",
        "each",
        "--report-to",
        "stdout",
    ])
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for i in 1u64.. {
            // Ends when dq exits and the pipe breaks.
            if stdin.write_all(format!("v{i}\n").as_bytes()).is_err() {
                return;
            }
        }
    });
    let reports = LineReader::new(child.stdout.take().unwrap());
    for _ in 0..1000 {
        reports.next();
    }
    signal(&child, sig);
    let (exit, stderr) = wait(child);
    writer.join().unwrap();
    assert_eq!(exit, code, "stderr: {stderr}");
    let read = records_read(&stderr, name);
    assert!(read >= 1000, "{stderr}");
    assert!(
        stderr.contains(&format!("{read} acknowledged, 0 failed, 0 not confirmed")),
        "{stderr}"
    );
    let stored: Vec<Vec<u8>> = read_partition(&broker, &topic, 0, 0)
        .into_iter()
        .map(|(_, _, v)| v)
        .collect();
    assert_eq!(stored.len() as u64, read, "every record read is stored");
    assert_eq!(stored, values(read));
}

#[test]
fn sigterm_mid_stream_delivers_every_record_read_and_reports() {
    stop_mid_stream(libc::SIGTERM, "SIGTERM", 143);
}

#[test]
fn sighup_mid_stream_delivers_every_record_read_and_reports() {
    stop_mid_stream(libc::SIGHUP, "SIGHUP", 129);
}

#[test]
fn a_second_ctrl_c_exits_at_once_with_the_unconfirmed_count() {
    let broker = Broker::start();
    let bootstrap = broker.bootstrap();
    let mut child = command(&[
        "produce",
        "-b",
        &bootstrap,
        "stalled",
        "--report",
        "each",
        "--report-to",
        "stdout",
    ])
    .spawn()
    .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let reports = LineReader::new(child.stdout.take().unwrap());
    stdin.write_all(b"first\n").unwrap();
    assert_eq!(reports.next(), "stalled-0@0");
    // The broker stops answering; three more records are read (the pipe
    // drains) but cannot be confirmed.
    let stopped = broker.pid();
    // SAFETY: stopping and later continuing the broker child.
    unsafe { libc::kill(stopped as i32, libc::SIGSTOP) };
    stdin.write_all(b"two\nthree\nfour\n").unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while unread(&stdin) > 0 {
        assert!(Instant::now() < deadline, "dq did not read its input");
        std::thread::yield_now();
    }
    let started = Instant::now();
    signal(&child, libc::SIGINT);
    signals_delivered(child.id());
    signal(&child, libc::SIGINT);
    let (code, stderr) = wait(child);
    let elapsed = started.elapsed();
    // SAFETY: as above.
    unsafe { libc::kill(stopped as i32, libc::SIGCONT) };
    drop(stdin);
    assert_eq!(code, 130, "stderr: {stderr}");
    assert!(
        stderr.contains(
            "dq: stopped at once: 3 record(s) read but not confirmed by the broker; they may or may not have been written"
        ),
        "stderr: {stderr}"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn consume_with_a_group_commits_what_it_printed_on_sigterm() {
    let broker = Broker::start();
    let p = producer(&broker, &[]);
    produce_all(&p, "printed", 0, &values(100));
    let bootstrap = broker.bootstrap();
    let mut child = command(&[
        "consume",
        "-b",
        &bootstrap,
        "printed",
        "-g",
        "printers",
        "--from-beginning",
    ])
    .spawn()
    .unwrap();
    let lines = LineReader::new(child.stdout.take().unwrap());
    for i in 1..=100 {
        assert_eq!(lines.next(), format!("v{i}"));
    }
    // Well within the 5 s auto-commit interval: only the final commit can
    // have stored the offset.
    signal(&child, libc::SIGTERM);
    let (code, stderr) = wait(child);
    assert_eq!(code, 143, "stderr: {stderr}");
    assert!(
        stderr.contains("Processed a total of 100 messages"),
        "{stderr}"
    );
    assert_eq!(committed(&broker, "printers", "printed"), Some(100));
}

/// The group's committed offset for partition 0 of `topic` (OffsetFetch).
fn committed(broker: &Broker, group: &str, topic: &str) -> Option<i64> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    let consumer: BaseConsumer = rdkafka::ClientConfig::new()
        .set("bootstrap.servers", broker.bootstrap())
        .set("group.id", group)
        .create()
        .unwrap();
    let mut tpl = rdkafka::TopicPartitionList::new();
    tpl.add_partition(topic, 0);
    let found = consumer
        .committed_offsets(tpl, Duration::from_secs(30))
        .unwrap();
    match found.elements()[0].offset() {
        rdkafka::Offset::Offset(o) => Some(o),
        _ => None,
    }
}

/// A broker that accepts connections and never answers.
fn silent_broker() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    (listener, address)
}

/// The first connection to `listener`, failing the test after a limit.
fn accept(listener: &TcpListener, args: &[&str]) -> std::net::TcpStream {
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match listener.accept() {
            Ok((connection, _)) => return connection,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(Instant::now() < deadline, "dq {args:?} never connected");
                std::thread::yield_now();
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

#[test]
fn ctrl_c_ends_a_wait_on_a_silent_broker_at_once_with_130() {
    let cases: &[&[&str]] = &[
        &["produce", "t"],
        &["consume", "t"],
        &["consume", "t", "-g", "g"],
        &["topics", "list"],
        &["groups", "list"],
        &["offsets", "t"],
    ];
    for args in cases {
        let (listener, address) = silent_broker();
        let mut all = args.to_vec();
        all.extend_from_slice(&["-b", &address]);
        let child = command(&all).spawn().unwrap();
        // dq is waiting once it has connected: nothing will ever answer.
        let connection = accept(&listener, &all);
        let started = Instant::now();
        signal(&child, libc::SIGINT);
        let (code, stderr) = wait(child);
        let elapsed = started.elapsed();
        drop(connection);
        assert_eq!(code, 130, "dq {all:?}: stderr: {stderr}");
        // A second is the promise; the bound is generous for a loaded machine.
        assert!(
            elapsed < Duration::from_secs(5),
            "dq {all:?} took {elapsed:?} to stop"
        );
    }
}
