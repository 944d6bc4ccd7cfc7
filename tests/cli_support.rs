//! Helpers for the `dq produce` / `dq consume` tests: run the real binary
//! with piped stdin/stdout in a scrubbed environment, with a time limit so a
//! hang fails the test instead of stalling the suite.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{dq_bin, Broker};

/// Generous: a hang, not slowness, is what the limit catches.
const LIMIT: Duration = Duration::from_secs(120);

pub struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    pub fn lines(&self) -> Vec<String> {
        self.stdout_text().lines().map(str::to_string).collect()
    }

    /// Panics with everything the command printed unless it exited with `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            code,
            "exit code; stderr:\n{}\nstdout (first 2000 bytes):\n{}",
            self.stderr,
            String::from_utf8_lossy(&self.stdout[..self.stdout.len().min(2000)])
        );
        self
    }
}

/// `dq ARGS` that sees none of the user's connection settings: no
/// `DQ_*` variables and no config file (`XDG_CONFIG_HOME` points nowhere).
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(dq_bin());
    c.args(args)
        .env_remove("DQ_BOOTSTRAP_SERVERS")
        .env_remove("DQ_PROFILE")
        .env_remove("DQ_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent/dq-tests")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Runs `dq ARGS` with `input` on stdin and waits for it to exit.
pub fn dq(args: &[&str], input: &[u8]) -> Run {
    dq_env(args, &[], input)
}

/// As [`dq`], with these environment variables set.
pub fn dq_env(args: &[&str], env: &[(&str, &str)], input: &[u8]) -> Run {
    let started = Instant::now();
    let mut child = command(args)
        .envs(env.iter().copied())
        .spawn()
        .expect("starting dq");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The command may exit before reading everything (a usage error).
        let _ = stdin.write_all(&input);
    });
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = match rx.recv_timeout(LIMIT) {
        Ok(output) => output.expect("waiting for dq"),
        Err(_) => {
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("dq {args:?} did not exit within {LIMIT:?}");
        }
    };
    writer.join().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// `dq produce -b BROKER TOPIC ARGS` with `input`.
pub fn produce(broker: &Broker, topic: &str, args: &[&str], input: &[u8]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["produce", "-b", &bootstrap, topic];
    all.extend_from_slice(args);
    dq(&all, input)
}

/// `dq consume -b BROKER ARGS`.
pub fn consume(broker: &Broker, args: &[&str]) -> Run {
    let bootstrap = broker.bootstrap();
    let mut all = vec!["consume", "-b", &bootstrap];
    all.extend_from_slice(args);
    dq(&all, b"")
}

/// Reads one line from a running command's stdout, failing after the limit.
pub struct LineReader {
    rx: mpsc::Receiver<String>,
}

impl LineReader {
    pub fn new(stdout: ChildStdout) -> LineReader {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        LineReader { rx }
    }

    pub fn next(&self) -> String {
        self.rx
            .recv_timeout(LIMIT)
            .expect("a line on stdout before the time limit")
    }
}

/// Waits for a running child to exit, killing it (and failing) after the limit.
pub fn wait(mut child: Child) -> (i32, String) {
    let mut stderr = child.stderr.take().unwrap();
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(LIMIT) {
        Ok(status) => status.unwrap(),
        Err(_) => {
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("dq did not exit within {LIMIT:?}");
        }
    };
    let mut text = String::new();
    let _ = stderr.read_to_string(&mut text);
    (status.code().unwrap_or(-1), text)
}

/// A port nothing listens on: bound, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Each `dq ARGS` is a usage error (exit 2) whose message mentions its
/// needle.
pub fn assert_usage_errors(cases: &[(&[&str], &str)]) {
    for (args, needle) in cases {
        let run = dq(args, b"").expect_code(2);
        assert!(
            run.stderr.contains(needle),
            "{args:?} should mention {needle}: {}",
            run.stderr
        );
    }
}
