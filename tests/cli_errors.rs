//! What `dq produce` and `dq consume` say when they cannot work: an
//! unreachable broker is a clear error within the timeout, bad flags are
//! usage errors with exit code 2.

use std::time::Duration;

use crate::cli_support::{assert_usage_errors, closed_port, dq};
use crate::support::Broker;

#[test]
fn an_unreachable_broker_is_named_within_the_timeout() {
    let address = format!("127.0.0.1:{}", closed_port());
    let cases: [(&[&str], &[u8]); 2] = [
        (&["produce", "-b", &address, "--timeout", "3s", "t"], b"x\n"),
        (&["consume", "-b", &address, "--timeout", "3s", "t"], b""),
    ];
    for (args, input) in cases {
        let run = dq(args, input).expect_code(1);
        assert!(
            run.stderr.contains(&format!(
                "cannot reach broker at {address} (connection refused)"
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.elapsed < Duration::from_secs(20),
            "{args:?} took {:?}",
            run.elapsed
        );
    }
}

#[test]
fn bad_flags_are_usage_errors_naming_the_flag() {
    let cases: [(&[&str], &str); 9] = [
        (&["produce"], "<TOPIC>"),
        (&["produce", "t", "--acks", "2"], "--acks"),
        (
            &["produce", "t", "--compression", "brotli"],
            "--compression",
        ),
        (&["produce", "t", "-k", "a", "-K", ":"], "--key-separator"),
        (&["consume", "t", "-o", "soon"], "'soon' is not an offset"),
        (&["consume", "t", "-g", "g", "-p", "0"], "--partition"),
        (&["consume", "t", "--group-protocol", "consumer"], "--group"),
        (
            &["consume", "t", "-g", "g", "--group-protocol", "next"],
            "--group-protocol",
        ),
        (
            &["consume", "t", "--include", "(unclosed"],
            "not a valid regular expression",
        ),
    ];
    assert_usage_errors(&cases);
}

#[test]
fn bad_values_found_after_parsing_name_what_was_wrong() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    let run = dq(&["consume", "-b", &b, "t", "-f", "%q"], b"").expect_code(1);
    assert!(run.stderr.contains("unknown token '%q'"), "{}", run.stderr);
    let run = dq(
        &["consume", "-b", &b, "t", "--property", "print.key=maybe"],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("print.key=maybe: expected true or false"),
        "{}",
        run.stderr
    );
    let run = dq(
        &["produce", "-b", &b, "t", "-X", "no.such.setting=1"],
        b"x\n",
    )
    .expect_code(1);
    assert!(run.stderr.contains("no.such.setting"), "{}", run.stderr);
    let run = dq(
        &[
            "produce",
            "-b",
            &b,
            "t",
            "--command-config",
            "/nonexistent.properties",
        ],
        b"x\n",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("cannot read --command-config /nonexistent.properties"),
        "{}",
        run.stderr
    );
    let run = dq(&["consume", "-b", &b, "missing-topic", "-e"], b"").expect_code(1);
    assert!(
        run.stderr.contains("topic 'missing-topic' does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn dq_alone_without_a_terminal_is_a_usage_error_not_a_repl() {
    let run = dq(&[], b"").expect_code(2);
    assert!(run.stderr.contains("no subcommand given"), "{}", run.stderr);
}

#[test]
fn output_into_a_closed_pipe_exits_quietly() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man");
    let cases: [&[&str]; 4] = [
        &["topics", "create", "piped", "-b", &b],
        &["topics", "list", "-b", &b],
        &["topics", "delete", "piped", "-b", &b],
        &["generate", "man", "--dir", man.to_str().unwrap()],
    ];
    for args in cases {
        let mut child = crate::cli_support::command(args).spawn().unwrap();
        // The reader is gone before dq writes (it first talks to the broker
        // or renders pages), as when `| head -0` has already exited.
        drop(child.stdout.take());
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
