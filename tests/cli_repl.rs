//! `dq repl` driven through a pseudo-terminal, as a person at a keyboard
//! drives it: commands, Tab completion, the produce and consume modes, and
//! errors that leave the prompt alive.

use std::process::Command;

use rexpect::session::{spawn_command, PtySession};

use crate::support::{dq_bin, Broker};

/// Each expectation's limit: generous, since a hang is what it catches.
const LIMIT_MS: u64 = 60_000;

struct Repl {
    session: PtySession,
    prompt: String,
    _home: tempfile::TempDir,
}

impl Repl {
    fn start(broker: &Broker) -> Repl {
        let home = tempfile::tempdir().unwrap();
        let mut command = Command::new(dq_bin());
        command
            .args(["repl", "-b", &broker.bootstrap()])
            .env_remove("DQ_BOOTSTRAP_SERVERS")
            .env_remove("DQ_PROFILE")
            .env_remove("RUST_LOG")
            .env_remove("DQ_CONFIG")
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let session = spawn_command(command, Some(LIMIT_MS)).expect("starting dq repl in a pty");
        let mut repl = Repl {
            session,
            prompt: format!("dq {}> ", broker.bootstrap()),
            _home: home,
        };
        repl.wait_for_prompt();
        repl
    }

    /// Everything printed up to the next prompt.
    fn wait_for_prompt(&mut self) -> String {
        let prompt = self.prompt.clone();
        self.expect(&prompt)
    }

    fn expect(&mut self, text: &str) -> String {
        self.session
            .exp_string(text)
            .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"))
    }

    /// Types `line` and Enter, and returns what it printed before the next
    /// prompt.
    fn run(&mut self, line: &str) -> String {
        self.session.send_line(line).unwrap();
        self.wait_for_prompt()
    }
}

#[test]
fn a_repl_session_creates_produces_consumes_and_lists() {
    let broker = Broker::start();
    let mut repl = Repl::start(&broker);

    let created = repl.run("topics create orders");
    assert!(created.contains("Created topic orders"), "{created}");

    // Tab completes the topic name from the broker: without it, "ord" is a
    // topic that does not exist.
    repl.session.send("topics describe ord").unwrap();
    repl.session.send("\t").unwrap();
    repl.session.flush().unwrap();
    repl.expect("describe orders");
    let described = repl.run("");
    assert!(described.contains("Topic: orders"), "{described}");

    // Produce mode: each line is a record with its report; Ctrl-D returns.
    repl.session.send_line("produce orders").unwrap();
    for (n, value) in ["one", "two", "three"].iter().enumerate() {
        repl.expect("> ");
        repl.session.send_line(value).unwrap();
        repl.expect(&format!("orders-0@{n}"));
    }
    repl.expect("> ");
    repl.session.send_control('d').unwrap();
    repl.wait_for_prompt();

    // Consume follows until Ctrl-C, which returns to the prompt.
    repl.session
        .send_line("consume orders --from-beginning -g readers")
        .unwrap();
    for value in ["one", "two", "three"] {
        repl.expect(value);
    }
    repl.session.send_control('c').unwrap();
    let stopped = repl.wait_for_prompt();
    assert!(
        stopped.contains("Processed a total of 3 messages"),
        "{stopped}"
    );

    let groups = repl.run("groups list");
    assert!(groups.contains("readers"), "{groups}");

    // A transaction: the lines typed are committed at Ctrl-D, and only then
    // reported; `transactions` works here as everywhere.
    repl.session
        .send_line("produce orders --transactional-id typed")
        .unwrap();
    repl.expect("> ");
    repl.session.send_line("four").unwrap();
    repl.expect("> ");
    repl.session.send_control('d').unwrap();
    repl.expect("orders-0@3 (committed)");
    repl.wait_for_prompt();
    let listed = repl.run("transactions list");
    assert!(
        listed.contains("typed") && listed.contains("CompleteCommit"),
        "{listed}"
    );

    // Errors print and the REPL goes on.
    let missing = repl.run("topics describe no-such-topic");
    assert!(missing.contains("no-such-topic"), "{missing}");
    let unknown = repl.run("bogus");
    assert!(
        unknown.contains("unrecognized subcommand 'bogus'"),
        "{unknown}"
    );
    let still = repl.run("topics list");
    assert!(still.contains("orders"), "{still}");

    repl.session.send_line("exit").unwrap();
    repl.session.exp_eof().expect("the REPL ends on exit");
}

#[test]
fn connect_switches_the_broker_and_history_is_kept() {
    let first = Broker::start();
    let second = Broker::start();
    let mut repl = Repl::start(&first);
    let created = repl.run(&format!(
        "topics create only-on-second -b {}",
        second.bootstrap()
    ));
    assert!(
        created.contains("Created topic only-on-second"),
        "{created}"
    );
    assert!(!repl.run("topics list").contains("only-on-second"));

    repl.session
        .send_line(&format!("connect {}", second.bootstrap()))
        .unwrap();
    repl.prompt = format!("dq {}> ", second.bootstrap());
    repl.wait_for_prompt();
    let listed = repl.run("topics list");
    assert!(listed.contains("only-on-second"), "{listed}");

    repl.session.send_control('d').unwrap();
    repl.session
        .exp_eof()
        .expect("Ctrl-D at the prompt ends the REPL");
    let history = std::fs::read_to_string(repl._home.path().join("data/dq/history"))
        .expect("the history file is written");
    assert!(history.contains("connect 127.0.0.1:"), "{history}");
}

/// What `dq ARGS` prints on a terminal, with `env` set.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(dq_bin());
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm");
    for (k, v) in env {
        command.env(k, v);
    }
    let mut session = spawn_command(command, Some(LIMIT_MS)).expect("starting dq in a pty");
    session.exp_eof().expect("dq ends")
}

#[test]
fn no_color_turns_off_colour_on_a_terminal() {
    let coloured = on_a_terminal(&["topics", "--no-such-flag"], &[]);
    assert!(coloured.contains("no-such-flag"), "{coloured}");
    assert!(
        coloured.contains("\x1b["),
        "colour on a terminal: {coloured:?}"
    );
    let plain = on_a_terminal(&["topics", "--no-such-flag"], &[("NO_COLOR", "1")]);
    assert!(plain.contains("no-such-flag"), "{plain}");
    assert!(
        !plain.contains("\x1b["),
        "no colour with NO_COLOR: {plain:?}"
    );
}

#[test]
fn destructive_commands_ask_on_a_terminal_and_no_keeps_everything() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    let create = crate::cli_support::dq(&["topics", "create", "keep", "-b", &b], b"");
    create.expect_code(0);
    let ask = |answer: &str| {
        let mut command = Command::new(dq_bin());
        command
            .args(["topics", "delete", "keep", "-b", &b])
            .env_remove("DQ_CONFIG")
            .env_remove("DQ_PROFILE")
            .env("XDG_CONFIG_HOME", broker.data_dir.join("no-config"))
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut session = spawn_command(command, Some(LIMIT_MS)).expect("starting dq in a pty");
        session
            .exp_string("Delete topic keep and all its records?")
            .expect("the question");
        session.send_line(answer).unwrap();
        session.exp_eof().expect("dq ends")
    };
    let declined = ask("n");
    assert!(declined.contains("nothing deleted"), "{declined:?}");
    let listed = crate::cli_support::dq(&["topics", "list", "-b", &b], b"").expect_code(0);
    assert!(listed.stdout_text().contains("keep"));

    ask("y");
    let listed = crate::cli_support::dq(&["topics", "list", "-b", &b], b"").expect_code(0);
    assert!(
        !listed.stdout_text().contains("keep"),
        "{}",
        listed.stdout_text()
    );
}

/// The pid of the `dq repl -b BOOTSTRAP` process (the port is this test's
/// own).
fn repl_pid(bootstrap: &str) -> i32 {
    let wanted = format!("repl\0-b\0{bootstrap}\0");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&wanted))
        })
        .expect("the dq repl process")
}

/// Threads of the process `pid`, from /proc.
fn threads(pid: i32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn commands_in_the_repl_leave_no_clients_behind() {
    let broker = Broker::start();
    crate::cli_support::dq(
        &["produce", "orders", "-b", &broker.bootstrap()],
        b"one\ntwo\n",
    )
    .expect_code(0);
    let mut repl = Repl::start(&broker);
    repl.run("topics list");
    let pid = repl_pid(&broker.bootstrap());
    let baseline = threads(pid);

    for _ in 0..3 {
        repl.session
            .send_line("consume orders --from-beginning")
            .unwrap();
        repl.expect("two");
        repl.session.send_control('c').unwrap();
        repl.wait_for_prompt();
        repl.run("groups list");
        repl.run("offsets orders");
    }
    // Each leaked client would keep about five librdkafka threads; closing
    // happens on a thread of its own, so wait for the count to settle.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while threads(pid) > baseline + 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "the REPL kept {} threads after closing its commands' clients (started with {baseline})",
            threads(pid)
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn tables_fit_the_terminal_and_stay_whole_in_a_pipe() {
    let broker = Broker::start();
    let b = broker.bootstrap();
    let topic = "a-topic-with-a-name-long-enough-to-need-wrapping-at-forty-columns";
    crate::cli_support::dq(&["topics", "create", topic, "-b", &b], b"").expect_code(0);

    // Into a pipe: one row per line, however wide.
    let piped = crate::cli_support::dq(&["offsets", topic, "-b", &b], b"").expect_code(0);
    let rows: Vec<String> = piped.lines();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[1].starts_with(topic), "{rows:?}");

    // On a 40-column terminal: no line is wider than the terminal.
    let mut repl = Repl::start(&broker);
    let pty = repl.session.process().get_file_handle().unwrap();
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 40,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads the winsize it is given, on a pty we own.
    let set = unsafe {
        libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(&pty),
            libc::TIOCSWINSZ,
            &size,
        )
    };
    assert_eq!(set, 0, "setting the pty's size");
    // The typed line wraps at 40 columns too, and rustyline redraws the
    // prompt while echoing it: the table starts at its header.
    repl.session.send_line(&format!("offsets {topic}")).unwrap();
    repl.expect("PARTITION");
    let shown = repl.wait_for_prompt();
    let table: Vec<&str> = shown
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.contains('\x1b') && !l.trim().is_empty())
        .collect();
    assert!(
        table.len() > 2,
        "the long row wraps: {table:?} in {shown:?}"
    );
    assert!(
        table.iter().all(|l| l.chars().count() <= 40),
        "every line fits 40 columns: {table:?}"
    );
}
