//! Connection profiles: a config file's named connections reach a real
//! broker; flags beat the environment, which beats the profile, which beats
//! the defaults; `dq profile list|show` report what is in force; mistakes in
//! the file are errors naming the file. Every run gets its own config file
//! through `DQ_CONFIG`, never the user's.

use std::time::Duration;

use serde_json::{json, Value};

use crate::cli_support::{closed_port, dq, dq_env, Run};
use crate::support::Broker;

/// A config file in a temporary directory.
struct Config {
    _dir: tempfile::TempDir,
    path: String,
}

impl Config {
    fn new(text: &str) -> Config {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        Config {
            path: path.display().to_string(),
            _dir: dir,
        }
    }

    /// `dq ARGS` with `DQ_CONFIG` naming this file, plus `env`.
    fn dq(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut all = vec![("DQ_CONFIG", self.path.as_str())];
        all.extend_from_slice(env);
        dq_env(args, &all, b"")
    }
}

fn json(run: Run) -> Value {
    serde_json::from_slice(&run.expect_code(0).stdout).expect("JSON on stdout")
}

fn topic_names(run: Run) -> Vec<String> {
    json(run)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect()
}

/// Profile `live` points at `broker`; `dead` at a closed port, with a short
/// timeout so a run that picks it fails fast.
fn live_and_dead(broker: &Broker, dead: &str, extra: &str) -> Config {
    Config::new(&format!(
        "{extra}\n[profiles.live]\nbootstrap = \"{}\"\n\
         [profiles.dead]\nbootstrap = \"{dead}\"\ntimeout = \"2s\"\n",
        broker.bootstrap()
    ))
}

fn assert_unreachable(run: Run, address: &str) {
    let run = run.expect_code(1);
    assert!(
        run.stderr
            .contains(&format!("cannot reach broker at {address} (")),
        "should name {address}: {}",
        run.stderr
    );
}

#[test]
fn a_profile_selected_by_flag_env_or_default_reaches_the_broker() {
    let broker = Broker::start();
    dq(
        &["topics", "create", "orders", "-b", &broker.bootstrap()],
        b"",
    )
    .expect_code(0);
    let dead = format!("127.0.0.1:{}", closed_port());
    let list = ["topics", "list", "--output", "json"];
    let with_profile = ["topics", "list", "--output", "json", "--profile", "live"];

    let config = live_and_dead(&broker, &dead, "");
    assert_eq!(topic_names(config.dq(&with_profile, &[])), ["orders"]);
    assert_eq!(
        topic_names(config.dq(&list, &[("DQ_PROFILE", "live")])),
        ["orders"]
    );
    // --profile beats DQ_PROFILE.
    assert_eq!(
        topic_names(config.dq(&with_profile, &[("DQ_PROFILE", "dead")])),
        ["orders"]
    );

    let config = live_and_dead(&broker, &dead, "default = \"live\"");
    assert_eq!(topic_names(config.dq(&list, &[])), ["orders"]);
    // DQ_PROFILE beats the file's default.
    assert_unreachable(config.dq(&list, &[("DQ_PROFILE", "dead")]), &dead);
}

#[test]
fn bootstrap_flag_beats_environment_beats_profile() {
    let broker = Broker::start();
    let live = broker.bootstrap();
    let dead = format!("127.0.0.1:{}", closed_port());
    let dead_env = format!("127.0.0.1:{}", closed_port());
    let config = live_and_dead(&broker, &dead, "");
    let list = ["topics", "list", "--profile", "live", "--timeout", "3s"];

    let mut args = list.to_vec();
    args.extend(["-b", dead.as_str()]);
    assert_unreachable(config.dq(&args, &[]), &dead);

    assert_unreachable(
        config.dq(&list, &[("DQ_BOOTSTRAP_SERVERS", &dead_env)]),
        &dead_env,
    );

    let mut args = list.to_vec();
    args.extend(["-b", live.as_str()]);
    config
        .dq(&args, &[("DQ_BOOTSTRAP_SERVERS", &dead_env)])
        .expect_code(0);
}

#[test]
fn a_profile_timeout_applies_unless_the_flag_overrides_it() {
    let dead = format!("127.0.0.1:{}", closed_port());
    let config = Config::new(&format!(
        "[profiles.dead]\nbootstrap = \"{dead}\"\ntimeout = \"1s\"\n"
    ));
    // librdkafka keeps retrying a refused connection until the timeout, so
    // the time taken shows which timeout was in force (the default is 30s).
    let run = config.dq(&["topics", "list", "--profile", "dead"], &[]);
    assert!(run.elapsed < Duration::from_secs(15), "{:?}", run.elapsed);
    assert_unreachable(run, &dead);

    let run = config.dq(
        &["topics", "list", "--profile", "dead", "--timeout", "6s"],
        &[],
    );
    assert!(run.elapsed >= Duration::from_secs(5), "{:?}", run.elapsed);
    assert_unreachable(run, &dead);
}

#[test]
fn profile_properties_apply_and_flags_and_files_override_them() {
    let broker = Broker::start();
    let config = Config::new(&format!(
        "[profiles.p]\nbootstrap = \"{}\"\n[profiles.p.properties]\n\
         \"security.protocol\" = \"bogus\"\n",
        broker.bootstrap()
    ));
    let run = config
        .dq(&["topics", "list", "--profile", "p"], &[])
        .expect_code(1);
    assert!(
        run.stderr.contains("security.protocol"),
        "the profile's property should reach librdkafka: {}",
        run.stderr
    );

    config
        .dq(
            &[
                "topics",
                "list",
                "--profile",
                "p",
                "-X",
                "security.protocol=plaintext",
            ],
            &[],
        )
        .expect_code(0);

    let dir = tempfile::tempdir().unwrap();
    let properties = dir.path().join("client.properties");
    std::fs::write(&properties, "security.protocol=plaintext\n").unwrap();
    config
        .dq(
            &[
                "topics",
                "list",
                "--profile",
                "p",
                "--command-config",
                properties.to_str().unwrap(),
            ],
            &[],
        )
        .expect_code(0);
}

const PROD: &str = r#"
default = "local"
[profiles.local]
bootstrap = "localhost:9092"
[profiles.prod]
bootstrap = "broker1:9093,broker2:9093"
timeout = "10s"
[profiles.prod.properties]
"security.protocol" = "SASL_SSL"
"sasl.mechanism" = "PLAIN"
"sasl.password" = "hunter2"
"#;

#[test]
fn profile_show_reports_each_value_and_its_source() {
    let config = Config::new(PROD);
    let shown = json(config.dq(
        &[
            "profile",
            "show",
            "--output",
            "json",
            "-X",
            "security.protocol=SASL_PLAINTEXT",
        ],
        &[
            ("DQ_PROFILE", "prod"),
            ("DQ_BOOTSTRAP_SERVERS", "env-broker:9092"),
        ],
    ));
    assert_eq!(
        shown,
        json!({
            "config_file": {"path": config.path, "source": "env", "found": true},
            "profile": {"value": "prod", "source": "env"},
            "bootstrap": {"value": "env-broker:9092", "source": "env"},
            "timeout_ms": {"value": 10000, "source": "profile"},
            "properties": [
                {"key": "sasl.mechanism", "value": "PLAIN", "source": "profile"},
                {"key": "sasl.password", "value": "***", "source": "profile"},
                {"key": "security.protocol", "value": "SASL_PLAINTEXT", "source": "flag"},
            ],
        })
    );

    let shown = json(config.dq(
        &[
            "profile",
            "show",
            "prod",
            "-b",
            "flag:1",
            "--timeout",
            "1500ms",
            "--output",
            "json",
        ],
        &[("DQ_BOOTSTRAP_SERVERS", "env-broker:9092")],
    ));
    assert_eq!(shown["profile"], json!({"value": "prod", "source": "flag"}));
    assert_eq!(
        shown["bootstrap"],
        json!({"value": "flag:1", "source": "flag"})
    );
    assert_eq!(
        shown["timeout_ms"],
        json!({"value": 1500, "source": "flag"})
    );

    // The file's `default` selects `local`, which sets only the bootstrap.
    let shown = json(config.dq(&["profile", "show", "--output", "json"], &[]));
    assert_eq!(
        shown["profile"],
        json!({"value": "local", "source": "config"})
    );
    assert_eq!(
        shown["bootstrap"],
        json!({"value": "localhost:9092", "source": "profile"})
    );
    assert_eq!(
        shown["timeout_ms"],
        json!({"value": 30000, "source": "default"})
    );
    assert_eq!(shown["properties"], json!([]));

    let run = config.dq(&["profile", "show", "prod"], &[]).expect_code(0);
    let text = run.stdout_text();
    for line in [
        format!("config file  {} ($DQ_CONFIG)", config.path),
        "profile      prod (--profile)".to_string(),
        "bootstrap    broker1:9093,broker2:9093 (profile prod)".to_string(),
        "timeout      10s (profile prod)".to_string(),
        "properties   sasl.mechanism=PLAIN (profile prod)".to_string(),
        "             sasl.password=*** (profile prod)".to_string(),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in:\n{text}"
        );
    }
    assert!(!text.contains("hunter2"), "{text}");
}

#[test]
fn profile_show_without_a_config_file_shows_defaults_and_environment() {
    let shown = json(dq(&["profile", "show", "--output", "json"], b""));
    assert_eq!(
        shown,
        json!({
            "config_file": {
                "path": "/nonexistent/dq-tests/dq/config.toml",
                "source": "default",
                "found": false
            },
            "profile": null,
            "bootstrap": {"value": "localhost:9092", "source": "default"},
            "timeout_ms": {"value": 30000, "source": "default"},
            "properties": [],
        })
    );
    let run = dq_env(
        &["profile", "show"],
        &[("DQ_BOOTSTRAP_SERVERS", "env-broker:9092")],
        b"",
    )
    .expect_code(0);
    let text = run.stdout_text();
    assert!(
        text.contains("bootstrap    env-broker:9092 ($DQ_BOOTSTRAP_SERVERS)\n")
            && text.contains("(not found)")
            && text.contains("profile      none\n"),
        "{text}"
    );
}

#[test]
fn profile_list_marks_the_selected_profile() {
    let config = Config::new(PROD);
    let run = config.dq(&["profile", "list"], &[]).expect_code(0);
    assert_eq!(
        run.lines(),
        [
            "PROFILE  BOOTSTRAP                  SELECTED",
            "local    localhost:9092             yes",
            "prod     broker1:9093,broker2:9093  no",
        ]
    );
    let selected = |run: Run| -> Vec<(String, bool)> {
        json(run)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    p["selected"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let list = ["profile", "list", "--output", "json"];
    assert_eq!(
        json(config.dq(&list, &[]))[1],
        json!({"name": "prod", "bootstrap": "broker1:9093,broker2:9093", "selected": false})
    );
    assert_eq!(
        selected(config.dq(&list, &[("DQ_PROFILE", "prod")])),
        [("local".to_string(), false), ("prod".to_string(), true)]
    );
    let mut args = list.to_vec();
    args.extend(["--profile", "local"]);
    assert_eq!(
        selected(config.dq(&args, &[("DQ_PROFILE", "prod")])),
        [("local".to_string(), true), ("prod".to_string(), false)]
    );

    // No profiles: an empty array, whether the file is missing or empty.
    assert_eq!(dq(&list, b"").expect_code(0).stdout_text(), "[]\n");
    let empty = Config::new("");
    assert_eq!(empty.dq(&list, &[]).expect_code(0).stdout_text(), "[]\n");
    let run = dq(&["profile", "list"], b"").expect_code(0);
    assert_eq!(run.stdout_text(), "");
    assert!(run.stderr.contains("No profiles"), "{}", run.stderr);
}

#[test]
fn config_mistakes_are_errors_naming_the_file() {
    let config = Config::new(PROD);
    let run = config
        .dq(&["topics", "list", "--profile", "staging"], &[])
        .expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "profile 'staging' (from --profile) is not defined in {}; \
             the profiles there are: local, prod",
            config.path
        )),
        "{}",
        run.stderr
    );

    let misspelt = Config::new("[profiles.p]\nbootstrap_servers = \"x:1\"\n");
    let run = misspelt.dq(&["topics", "list"], &[]).expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "{}:2:1: unknown field `bootstrap_servers`",
            misspelt.path
        )),
        "{}",
        run.stderr
    );

    let malformed = Config::new("[profiles.p]\nbootstrap = \"x:1\n");
    let run = malformed.dq(&["profile", "list"], &[]).expect_code(1);
    assert!(
        run.stderr
            .starts_with(&format!("dq: {}:2:", malformed.path)),
        "{}",
        run.stderr
    );

    let run = dq_env(
        &["topics", "list"],
        &[("DQ_CONFIG", "/nonexistent/dq.toml")],
        b"",
    )
    .expect_code(1);
    assert!(
        run.stderr
            .contains("config file /nonexistent/dq.toml (from $DQ_CONFIG) does not exist"),
        "{}",
        run.stderr
    );

    let run = dq(&["topics", "list", "--profile", "prod"], b"").expect_code(1);
    assert!(
        run.stderr.contains(
            "profile 'prod' (from --profile) is not defined: there is no config file at \
             /nonexistent/dq-tests/dq/config.toml"
        ),
        "{}",
        run.stderr
    );

    // Both a NAME and --profile is a usage error.
    config
        .dq(&["profile", "show", "prod", "--profile", "local"], &[])
        .expect_code(2);
}
