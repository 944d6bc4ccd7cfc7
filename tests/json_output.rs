//! Every `--output json` document has exactly the fields docs/json.md lists:
//! the table there is parsed, each row's command is run against a broker,
//! and every value printed is matched against the documented shape.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::cli_support::{command, dq};
use crate::cli_transactions::hanging_transaction;
use crate::support::Broker;

/// A documented shape: see the notation in docs/json.md.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// A scalar, or an array of scalars.
    Any,
    /// An object whose keys are data.
    Map,
    Array(Box<Shape>),
    Object(Vec<(String, Shape)>),
}

fn parse_shape(text: &str) -> Shape {
    let mut chars = text.chars().filter(|c| !c.is_whitespace()).peekable();
    let shape = shape(&mut chars);
    assert!(chars.next().is_none(), "trailing text in shape {text}");
    shape
}

fn shape(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) -> Shape {
    match chars.next() {
        Some('[') => {
            let inner = shape(chars);
            assert_eq!(chars.next(), Some(']'));
            Shape::Array(Box::new(inner))
        }
        Some('{') => {
            if chars.peek() == Some(&'…') {
                chars.next();
                assert_eq!(chars.next(), Some('}'));
                return Shape::Map;
            }
            let mut fields = Vec::new();
            loop {
                let mut name = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_alphanumeric() || c == '_' {
                        name.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                assert!(!name.is_empty(), "a field name in a shape");
                let field = if chars.peek() == Some(&':') {
                    chars.next();
                    shape(chars)
                } else {
                    Shape::Any
                };
                fields.push((name, field));
                match chars.next() {
                    Some(',') => continue,
                    Some('}') => return Shape::Object(fields),
                    other => panic!("unexpected {other:?} in a shape"),
                }
            }
        }
        other => panic!("unexpected {other:?} at the start of a shape"),
    }
}

/// Checks `value` against `shape`; `null` fits any shape.
fn check(value: &Value, shape: &Shape, path: &str) -> Result<(), String> {
    match (shape, value) {
        (_, Value::Null) => Ok(()),
        (Shape::Any, Value::Object(_)) => Err(format!(
            "{path} is an object; the doc lists no fields for it"
        )),
        (Shape::Any, Value::Array(items))
            if items.iter().any(|i| i.is_object() || i.is_array()) =>
        {
            Err(format!(
                "{path} holds objects or arrays; the doc lists no shape for them"
            ))
        }
        (Shape::Any, _) => Ok(()),
        (Shape::Map, Value::Object(_)) => Ok(()),
        (Shape::Array(inner), Value::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check(item, inner, &format!("{path}[{i}]"))),
        (Shape::Object(fields), Value::Object(map)) => {
            let documented: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
            let printed: Vec<&str> = map.keys().map(String::as_str).collect();
            let mut d = documented.clone();
            let mut p = printed.clone();
            d.sort();
            p.sort();
            if d != p {
                return Err(format!("{path} has fields {p:?}; docs/json.md lists {d:?}"));
            }
            fields
                .iter()
                .try_for_each(|(name, s)| check(&map[name], s, &format!("{path}.{name}")))
        }
        (_, other) => Err(format!("{path} is {other}, which does not fit {shape:?}")),
    }
}

/// The table of docs/json.md: output label → shape.
fn documented() -> BTreeMap<String, Shape> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    doc.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells[..] {
                ["", label, shape, ""] if shape.starts_with('`') => {
                    Some((label.to_string(), parse_shape(shape.trim_matches('`'))))
                }
                _ => None,
            }
        })
        .collect()
}

/// Every JSON value in `text` (pretty or one per line).
fn values(text: &str) -> Vec<Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map(|v| v.unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}")))
        .collect()
}

/// What each documented output printed, gathered by running it.
struct Collector {
    bootstrap: String,
    outputs: BTreeMap<&'static str, Vec<Value>>,
}

impl Collector {
    fn run(&mut self, label: &'static str, args: &[&str], input: &[u8], stderr: bool) {
        self.run_code(label, args, input, stderr, 0);
    }

    /// Runs `dq ARGS -b … --output json`, expecting exit `code`, and keeps
    /// every JSON value it printed (on stderr for produce's reports).
    fn run_code(
        &mut self,
        label: &'static str,
        args: &[&str],
        input: &[u8],
        stderr: bool,
        code: i32,
    ) {
        let mut full = args.to_vec();
        full.extend(["-b", &self.bootstrap, "--output", "json"]);
        let result = dq(&full, input).expect_code(code);
        let text = if stderr {
            // The reports, without the error line a failed run ends with.
            result
                .stderr
                .lines()
                .filter(|l| l.starts_with('{'))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            result.stdout_text()
        };
        let printed = values(&text);
        assert!(!printed.is_empty(), "{label} printed no JSON");
        self.outputs.entry(label).or_default().extend(printed);
    }
}

#[test]
fn json_output_has_exactly_the_documented_fields() {
    let docs = documented();
    let broker = Broker::start();
    let b = broker.bootstrap();
    let mut c = Collector {
        bootstrap: b.clone(),
        outputs: BTreeMap::new(),
    };

    // Empty lists print as [].
    let empty = dq(&["groups", "list", "-b", &b, "--output", "json"], b"").expect_code(0);
    assert_eq!(empty.stdout_text().trim(), "[]");

    c.run(
        "`dq topics create`",
        &["topics", "create", "orders", "--partitions", "2"],
        b"",
        false,
    );
    c.run(
        "`dq topics alter`",
        &[
            "topics",
            "alter",
            "orders",
            "--config",
            "retention.ms=86400000",
        ],
        b"",
        false,
    );
    c.run(
        "`dq produce`, each delivered record",
        &[
            "produce", "orders", "-K", ":", "-H", "h=v", "--report", "each",
        ],
        b"k1:a\nk2:b\nk3:c\n",
        true,
    );
    c.run(
        "`dq produce`, the summary",
        &["produce", "orders"],
        b"x\ny\n",
        true,
    );
    // The broker refuses a record over the topic's max.message.bytes.
    let small = [
        "topics",
        "create",
        "small",
        "--config",
        "max.message.bytes=100",
        "-b",
        &b,
    ];
    dq(&small, b"").expect_code(0);
    c.run_code(
        "`dq produce`, each failed record",
        &["produce", "small", "--report", "each"],
        format!("{}\n", "x".repeat(300)).as_bytes(),
        true,
        1,
    );
    c.run("`dq topics list`", &["topics", "list"], b"", false);
    c.run(
        "`dq topics describe`",
        &["topics", "describe", "orders"],
        b"",
        false,
    );
    c.run(
        "`dq consume`, each record",
        &[
            "consume",
            "orders",
            "--from-beginning",
            "-e",
            "-g",
            "readers",
        ],
        b"",
        false,
    );

    // A live member, so that describe shows one with its assignment: its
    // first record printed means it has joined and been assigned.
    let mut member = command(&[
        "consume",
        "orders",
        "-g",
        "live",
        "--from-beginning",
        "-b",
        &b,
    ])
    .stdin(Stdio::null())
    .spawn()
    .unwrap();
    let stdout = member.stdout.take().unwrap();
    let (joined, first_line) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = joined.send(lines.next());
        // Keep reading: a closed pipe would end the member (as `| head`
        // ends dq consume), and it would leave the group before describe
        // saw it.
        for _ in lines {}
    });
    let first = first_line
        .recv_timeout(Duration::from_secs(60))
        .expect("the live member prints its first record or ends");
    if !matches!(first, Some(Ok(_))) {
        let status = member.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut member.stderr.take().unwrap(), &mut stderr).unwrap();
        panic!("the live member ended ({status}) before printing a record: {stderr}");
    }
    // Printing a record means it was assigned; the describe that follows
    // may still meet the group settling, so it is asked until it shows the
    // member.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let live = loop {
        let described = dq(
            &["groups", "describe", "live", "-b", &b, "--output", "json"],
            b"",
        )
        .expect_code(0)
        .stdout_text();
        let live = values(&described);
        if live[0]["members"].as_array().map(Vec::len) == Some(1) {
            break live;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the live member never showed in describe: {described}"
        );
    };
    c.outputs
        .entry("`dq groups describe`")
        .or_default()
        .extend(live);
    member.kill().unwrap();
    member.wait().unwrap();

    // A share group: its configs, a member's records, its description.
    c.run(
        "`dq groups alter`",
        &[
            "groups",
            "alter",
            "sharers",
            "--config",
            "share.auto.offset.reset=earliest",
            "--dead-letter-topic",
            "dlq.orders",
        ],
        b"",
        false,
    );
    c.run(
        "`dq consume --share-group`, each record",
        &["consume", "orders", "--share-group", "sharers", "-e"],
        b"",
        false,
    );
    c.run(
        "`dq groups describe`, a share group",
        &["groups", "describe", "sharers"],
        b"",
        false,
    );
    c.run("`dq groups list`", &["groups", "list"], b"", false);
    c.run(
        "`dq groups describe`",
        &["groups", "describe", "readers"],
        b"",
        false,
    );
    c.run(
        "`dq groups reset-offsets`",
        &[
            "groups",
            "reset-offsets",
            "readers",
            "--topic",
            "orders",
            "--to-earliest",
        ],
        b"",
        false,
    );
    c.run(
        "`dq groups delete-offsets`",
        &[
            "groups",
            "delete-offsets",
            "readers",
            "--topic",
            "orders",
            "--yes",
        ],
        b"",
        false,
    );
    c.run(
        "`dq groups delete`",
        &["groups", "delete", "readers", "--yes"],
        b"",
        false,
    );
    // A committed transaction to list and describe, and a hanging one for
    // describe-producers to show and abort to end.
    c.run(
        "`dq produce --transactional-id`, each delivered record",
        &[
            "produce",
            "orders",
            "-p",
            "0",
            "--transactional-id",
            "loader",
            "--report",
            "each",
        ],
        b"t1\nt2\n",
        true,
    );
    let hanging = hanging_transaction(&broker, "orders", "stuck", &["h"]);
    c.run(
        "`dq transactions list`",
        &["transactions", "list"],
        b"",
        false,
    );
    c.run(
        "`dq transactions describe`",
        &["transactions", "describe", "--transactional-id", "stuck"],
        b"",
        false,
    );
    c.run(
        "`dq transactions describe`",
        &["transactions", "describe", "--transactional-id", "loader"],
        b"",
        false,
    );
    let producers = &[
        "transactions",
        "describe-producers",
        "--topic",
        "orders",
        "--partition",
        "0",
    ];
    c.run(
        "`dq transactions describe-producers`",
        producers,
        b"",
        false,
    );
    let start = c.outputs["`dq transactions describe-producers`"][0]["producers"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| p["current_transaction_start_offset"].as_i64())
        .expect("the hanging transaction's start offset")
        .to_string();
    c.run(
        "`dq transactions abort`",
        &[
            "transactions",
            "abort",
            "--topic",
            "orders",
            "--partition",
            "0",
            "--start-offset",
            &start,
        ],
        b"",
        false,
    );
    drop(hanging);
    c.run("`dq offsets`", &["offsets", "orders"], b"", false);
    c.run(
        "`dq offsets --delete-before`",
        &["offsets", "orders", "--delete-before", "1", "--yes"],
        b"",
        false,
    );
    c.run("`dq profile show`", &["profile", "show"], b"", false);
    c.run(
        "`dq perf produce`",
        &[
            "perf",
            "produce",
            "perf",
            "--num-records",
            "100",
            "--record-size",
            "10",
        ],
        b"",
        false,
    );
    c.run(
        "`dq perf consume`",
        &["perf", "consume", "perf"],
        b"",
        false,
    );
    // `dump-log` reads segment files, not a broker: both partitions of
    // `orders`, and a copy of one with a torn tail for the damaged-tail row.
    let segments: Vec<String> = (0..2)
        .map(|p| {
            broker
                .data_dir
                .join(format!("orders-{p}/00000000000000000000.log"))
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut dump_args = vec!["dump-log", "--records", "--output", "json"];
    dump_args.extend(segments.iter().map(String::as_str));
    let dumped = values(&dq(&dump_args, b"").expect_code(0).stdout_text());
    assert!(!dumped.is_empty(), "dump-log printed no batch");
    c.outputs
        .entry("`dq dump-log`, each batch")
        .or_default()
        .extend(dumped);
    let torn_dir = tempfile::tempdir().unwrap();
    let torn = torn_dir.path().join("00000000000000000000.log");
    let mut bytes = std::fs::read(&segments[0]).unwrap();
    bytes.extend_from_slice(&[1u8; 30]);
    std::fs::write(&torn, bytes).unwrap();
    let damaged = values(
        &dq(
            &["dump-log", torn.to_str().unwrap(), "--output", "json"],
            b"",
        )
        .expect_code(0)
        .stdout_text(),
    );
    let (tails, batches): (Vec<Value>, Vec<Value>) =
        damaged.into_iter().partition(|v| v.get("bytes").is_some());
    assert_eq!(tails.len(), 1);
    c.outputs
        .entry("`dq dump-log`, a damaged tail")
        .or_default()
        .extend(tails);
    c.outputs
        .entry("`dq dump-log`, each batch")
        .or_default()
        .extend(batches);
    c.run(
        "`dq topics delete`",
        &[
            "topics",
            "delete",
            "orders",
            "perf",
            "small",
            "dlq.orders",
            "--yes",
        ],
        b"",
        false,
    );

    // `profile list` takes no broker; its rows need a config file.
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        "[profiles.local]\nbootstrap = \"localhost:9092\"\n",
    )
    .unwrap();
    let listed = command(&["profile", "list", "--output", "json"])
        .env("DQ_CONFIG", &config)
        .output()
        .unwrap();
    assert!(listed.status.success());
    c.outputs.insert(
        "`dq profile list`",
        values(&String::from_utf8(listed.stdout).unwrap()),
    );

    let outputs = c.outputs;
    for (label, printed) in &outputs {
        let shape = docs
            .get(*label)
            .unwrap_or_else(|| panic!("docs/json.md has no row {label}"));
        for value in printed {
            if let Err(e) = check(value, shape, label) {
                panic!("{e}\nprinted: {value}");
            }
        }
    }
    let unchecked: Vec<&String> = docs
        .keys()
        .filter(|label| !outputs.contains_key(label.as_str()))
        .collect();
    assert!(
        unchecked.is_empty(),
        "documented but never checked: {unchecked:?}"
    );
}

#[test]
fn the_shape_check_refuses_undocumented_and_missing_fields() {
    let shape = parse_shape("[{a, b: [{c}], m: {…}}]");
    let fits = serde_json::json!([{"a": 1, "b": [{"c": null}], "m": {"x": 1}}]);
    assert_eq!(check(&fits, &shape, "v"), Ok(()));
    let extra = serde_json::json!([{"a": 1, "b": [], "m": {}, "z": 2}]);
    assert!(check(&extra, &shape, "v").is_err());
    let missing = serde_json::json!([{"a": 1, "m": {}}]);
    assert!(check(&missing, &shape, "v").is_err());
    let nested = serde_json::json!([{"a": 1, "b": [{"c": 1, "d": 2}], "m": {}}]);
    assert!(check(&nested, &shape, "v").is_err());
}
