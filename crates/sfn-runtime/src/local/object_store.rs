//! Where a distributed Map's `ItemReader` reads objects and its `ResultWriter` writes
//! them, in place of S3: the [`ObjectStore`] trait, an in-memory store
//! ([`MemoryObjectStore`]) and one backed by a folder ([`FolderObjectStore`]: a bucket is a
//! subfolder, a key a path under it).
//!
//! ```
//! use std::sync::Arc;
//! use sfn_runtime::local::{LocalEngine, MemoryObjectStore, ObjectStore};
//!
//! let store = Arc::new(MemoryObjectStore::new());
//! store.put("bucket", "items.json", b"[1, 2, 3]".to_vec())?;
//! let engine = LocalEngine::builder().object_store(store.clone()).build();
//! # Ok::<(), sfn_runtime::local::ObjectStoreError>(())
//! ```

use std::{
    collections::BTreeMap,
    path::{Component, Path, PathBuf},
    sync::Mutex,
};

use chrono::{DateTime, Utc};

use super::lock;

/// An object's listing entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectInfo {
    /// The key.
    pub key: String,
    /// The size in bytes.
    pub size: u64,
    /// The entity tag (without quotes).
    pub etag: String,
    /// When it was last written.
    pub last_modified: DateTime<Utc>,
}

/// Why an object could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectStoreError {
    /// No object has this key.
    #[error("The specified key does not exist: s3://{bucket}/{key}")]
    NoSuchKey {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// The bucket or key cannot name an object of this store (empty, or leaving the
    /// store's folder).
    #[error("invalid bucket or key: s3://{bucket}/{key}")]
    InvalidKey {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// The disk failed.
    #[error("s3://{bucket}/{key}: {source}")]
    Io {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

/// Objects by bucket and key. Calls may block (the engine calls them off its tasks).
pub trait ObjectStore: Send + Sync + 'static {
    /// The object's bytes.
    fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, ObjectStoreError>;

    /// Writes the object, replacing any.
    fn put(&self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<(), ObjectStoreError>;

    /// The objects whose keys start with `prefix`, by key.
    fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectStoreError>;
}

/// An entity tag: a digest of the bytes, hex.
fn etag(bytes: &[u8]) -> String {
    // FNV-1a, 64 bits: stable, and enough to tell versions apart.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// An object's bytes and when they were written, by bucket and key.
type Objects = BTreeMap<(String, String), (Vec<u8>, DateTime<Utc>)>;

/// Objects in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryObjectStore {
    objects: Mutex<Objects>,
}

impl MemoryObjectStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryObjectStore::default()
    }
}

impl ObjectStore for MemoryObjectStore {
    fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, ObjectStoreError> {
        lock(&self.objects)
            .get(&(bucket.to_owned(), key.to_owned()))
            .map(|(b, _)| b.clone())
            .ok_or_else(|| ObjectStoreError::NoSuchKey {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            })
    }

    fn put(&self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<(), ObjectStoreError> {
        lock(&self.objects).insert((bucket.to_owned(), key.to_owned()), (bytes, Utc::now()));
        Ok(())
    }

    fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectStoreError> {
        Ok(lock(&self.objects)
            .iter()
            .filter(|((b, k), _)| b == bucket && k.starts_with(prefix))
            .map(|((_, k), (bytes, at))| ObjectInfo {
                key: k.clone(),
                size: bytes.len() as u64,
                etag: etag(bytes),
                last_modified: *at,
            })
            .collect())
    }
}

/// Objects in a folder: `ROOT/BUCKET/KEY`, the key's `/` separating folders.
#[derive(Debug, Clone)]
pub struct FolderObjectStore {
    root: PathBuf,
}

impl FolderObjectStore {
    /// A store in `root` (created on the first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FolderObjectStore { root: root.into() }
    }

    /// A bucket's folder; refuses a name that would leave the root.
    fn bucket_dir(&self, bucket: &str, key: &str) -> Result<PathBuf, ObjectStoreError> {
        if !normal(bucket) || bucket.contains(['/', '\\']) {
            return Err(ObjectStoreError::InvalidKey {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            });
        }
        Ok(self.root.join(bucket))
    }

    /// Where an object lives; refuses names that would leave the root.
    fn path(&self, bucket: &str, key: &str) -> Result<PathBuf, ObjectStoreError> {
        let dir = self.bucket_dir(bucket, key)?;
        if !normal(key) {
            return Err(ObjectStoreError::InvalidKey {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            });
        }
        Ok(dir.join(key))
    }
}

/// A relative path of plain names only (no `..`, no root, not empty).
fn normal(s: &str) -> bool {
    !s.is_empty()
        && Path::new(s)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

impl ObjectStore for FolderObjectStore {
    fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, ObjectStoreError> {
        let path = self.path(bucket, key)?;
        std::fs::read(&path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => ObjectStoreError::NoSuchKey {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
            },
            _ => ObjectStoreError::Io {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
                source,
            },
        })
    }

    fn put(&self, bucket: &str, key: &str, bytes: Vec<u8>) -> Result<(), ObjectStoreError> {
        let path = self.path(bucket, key)?;
        let io = |source| ObjectStoreError::Io {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)
    }

    fn list(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, ObjectStoreError> {
        let dir = self.bucket_dir(bucket, prefix)?;
        let mut out = Vec::new();
        let mut pending = vec![dir.clone()];
        while let Some(d) = pending.pop() {
            let entries = match std::fs::read_dir(&d) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(ObjectStoreError::Io {
                        bucket: bucket.to_owned(),
                        key: prefix.to_owned(),
                        source,
                    });
                }
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let Ok(rel) = path.strip_prefix(&dir) else {
                    continue;
                };
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if !key.starts_with(prefix) {
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(|source| ObjectStoreError::Io {
                    bucket: bucket.to_owned(),
                    key: key.clone(),
                    source,
                })?;
                let last_modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .map(DateTime::<Utc>::from)
                    .unwrap_or_default();
                out.push(ObjectInfo {
                    size: bytes.len() as u64,
                    etag: etag(&bytes),
                    key,
                    last_modified,
                });
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_store_keeps_objects_under_its_root() {
        let root = std::env::temp_dir().join(format!("sfn-objects-{}", uuid::Uuid::new_v4()));
        let store = FolderObjectStore::new(&root);
        store.put("b", "in/items.json", b"[1]".to_vec()).unwrap();
        store.put("b", "in/more/x.csv", b"a\n1".to_vec()).unwrap();
        store.put("b", "other.txt", b"".to_vec()).unwrap();
        assert_eq!(store.get("b", "in/items.json").unwrap(), b"[1]");
        let keys: Vec<String> = store
            .list("b", "in/")
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect();
        assert_eq!(keys, ["in/items.json", "in/more/x.csv"]);
        assert!(matches!(
            store.get("b", "nope"),
            Err(ObjectStoreError::NoSuchKey { .. })
        ));
        assert!(matches!(
            store.get("b", "../escape"),
            Err(ObjectStoreError::InvalidKey { .. })
        ));
        assert!(matches!(
            store.put("..", "k", vec![]),
            Err(ObjectStoreError::InvalidKey { .. })
        ));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_memory_store_lists_by_prefix() {
        let store = MemoryObjectStore::new();
        store.put("b", "p/1", b"x".to_vec()).unwrap();
        store.put("c", "p/2", b"y".to_vec()).unwrap();
        let listed = store.list("b", "p/").unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].size, 1);
    }
}
