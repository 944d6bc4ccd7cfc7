//! The committed `completions/` and `man/` match what this binary
//! generates: a flag added without regenerating them fails here.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::dq_bin;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

fn assert_current(what: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let status = Command::new(dq_bin())
        .args(["generate", what, "--dir"])
        .arg(fresh.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "dq generate {what} failed");
    let dir = match what {
        "completions" => "completions",
        _ => "man",
    };
    let committed = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    let generated = files(fresh.path());
    let stale: std::collections::BTreeSet<&String> = generated
        .keys()
        .chain(committed.keys())
        .filter(|name| generated.get(*name) != committed.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "{dir}/ is stale ({stale:?} differ); regenerate with \
         `cargo run --release -- generate {what}` and commit the result"
    );
}

#[test]
fn committed_completions_are_current() {
    assert_current("completions");
}

#[test]
fn committed_man_pages_are_current() {
    assert_current("man");
}

#[test]
fn completions_to_a_closed_pipe_exit_quietly() {
    let mut child = Command::new(dq_bin())
        .args(["generate", "completions", "bash", "--stdout"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -1`: read one line, then close the pipe.
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(first.starts_with("_dq()"), "{first}");
}
