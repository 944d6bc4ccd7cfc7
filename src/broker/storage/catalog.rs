//! The catalog: topic definitions (id, partition count, configs) and the
//! cluster id, kept in `DATA_DIR/catalog.json`. It is rewritten whole on each
//! change through a temporary file, fsync and rename, so a crash leaves either
//! the old catalog or the new one.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StorageError;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TopicDef {
    pub name: String,
    pub id: Uuid,
    pub partitions: i32,
    /// Only the configs set for this topic; defaults are not stored.
    #[serde(default)]
    pub configs: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CatalogFile {
    cluster_id: String,
    /// First producer id not yet handed out (ids are reserved in blocks).
    #[serde(default)]
    next_producer_id: i64,
    topics: Vec<TopicDef>,
}

pub struct Catalog {
    path: PathBuf,
    pub cluster_id: String,
    pub next_producer_id: i64,
    pub topics: BTreeMap<String, TopicDef>,
}

impl Catalog {
    /// Loads the catalog of `data_dir`, or starts an empty one with a new
    /// cluster id.
    pub fn open(data_dir: &Path) -> Result<Catalog, StorageError> {
        let path = data_dir.join("catalog.json");
        let context = |what: &str| {
            let path = path.display().to_string();
            let what = what.to_string();
            move |source| StorageError::Catalog {
                context: format!("{what} {path}"),
                source,
            }
        };
        match fs::read(&path) {
            Ok(bytes) => {
                let file: CatalogFile = serde_json::from_slice(&bytes)
                    .map_err(|e| context("cannot parse")(std::io::Error::other(e)))?;
                Ok(Catalog {
                    path,
                    cluster_id: file.cluster_id,
                    next_producer_id: file.next_producer_id,
                    topics: file
                        .topics
                        .into_iter()
                        .map(|t| (t.name.clone(), t))
                        .collect(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let catalog = Catalog {
                    path,
                    cluster_id: new_cluster_id(),
                    next_producer_id: 0,
                    topics: BTreeMap::new(),
                };
                catalog.save()?;
                Ok(catalog)
            }
            Err(e) => Err(context("cannot read")(e)),
        }
    }

    /// Writes the catalog durably.
    pub fn save(&self) -> Result<(), StorageError> {
        let file = CatalogFile {
            cluster_id: self.cluster_id.clone(),
            next_producer_id: self.next_producer_id,
            topics: self.topics.values().cloned().collect(),
        };
        save_json(&self.path, &file)
    }
}

/// Writes `value` as JSON to `path` durably and atomically: a temporary
/// file, fsynced, renamed over `path`, and the directory fsynced, so a crash
/// leaves either the old file or the new one.
pub(crate) fn save_json(path: &Path, value: &impl Serialize) -> Result<(), StorageError> {
    let bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("json.tmp");
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|source| StorageError::Catalog {
        context: format!("cannot write {}", path.display()),
        source,
    })
}

/// Kafka cluster ids are 16 random bytes in URL-safe base64 without padding.
fn new_cluster_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = Uuid::new_v4().into_bytes();
    let mut out = String::with_capacity(22);
    let mut bits = 0u32;
    let mut n = 0;
    for b in bytes {
        bits = (bits << 8) | u32::from(b);
        n += 8;
        while n >= 6 {
            n -= 6;
            out.push(ALPHABET[((bits >> n) & 63) as usize] as char);
        }
    }
    if n > 0 {
        out.push(ALPHABET[((bits << (6 - n)) & 63) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_and_cluster_id_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Catalog::open(dir.path()).unwrap();
        assert_eq!(c.cluster_id.len(), 22);
        c.topics.insert(
            "orders".into(),
            TopicDef {
                name: "orders".into(),
                id: Uuid::new_v4(),
                partitions: 3,
                configs: [("retention.ms".to_string(), "1000".to_string())].into(),
            },
        );
        c.save().unwrap();
        let again = Catalog::open(dir.path()).unwrap();
        assert_eq!(again.cluster_id, c.cluster_id);
        assert_eq!(again.topics, c.topics);
    }

    #[test]
    fn a_damaged_catalog_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("catalog.json"), b"{not json").unwrap();
        let err = Catalog::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("catalog.json"), "{err}");
    }
}
