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
