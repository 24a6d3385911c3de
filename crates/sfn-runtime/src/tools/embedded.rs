//! [`EmbeddedStore`]: state data in one file on disk, with [redb].
//!
//! # Why redb
//!
//! The store must be one file, survive a restart, be safe under concurrent tasks, and
//! keep every item of a partition key in index order so that a list reads in one range
//! scan. redb is an embedded, ACID, copy-on-write B-tree store in pure Rust: tuple keys
//! `(table, partition key, index)` sort exactly as DynamoDB's partition and sort keys
//! do, a write transaction replaces a whole list (new items and stale indexes) at once,
//! readers never block writers, and it builds in seconds with no C toolchain.
//! rusqlite with bundled SQLite would do the same with SQL but builds SQLite's C
//! sources (a minute more on two cores, and a C compiler everywhere the crate builds);
//! sled is unmaintained; a JSON file rewritten on every put would not scale to
//! thousands of items nor survive a crash mid-write.
//!
//! The file is locked by the process that opens it: tasks of one process share one
//! [`EmbeddedStore`] (it is cheap to clone), and a second process opening the same file
//! gets an error rather than corrupting it. Disk work runs in `spawn_blocking`.
//!
//! [redb]: https://docs.rs/redb

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use redb::{Database, ReadableTable, TableDefinition};

use super::{StateConfig, StateError, StateStore};
use crate::activity::BoxFuture;

/// Items by (table, partition key, index): (expires at, in seconds since the epoch; the
/// data as JSON text).
const ITEMS: TableDefinition<(&str, &str, u64), (i64, &[u8])> = TableDefinition::new("items");

/// State data in one file on disk. Cheap to clone: clones share the open file.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
    path: Arc<PathBuf>,
    config: StateConfig,
}

impl std::fmt::Debug for EmbeddedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedStore")
            .field("path", &self.path)
            .field("config", &self.config)
            .finish()
    }
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating the file (not its folder) if it is missing.
    ///
    /// # Errors
    ///
    /// [`StateError::Embedded`] when the file cannot be opened (another process holds
    /// it, it is not a store, the folder is missing); [`StateError::Config`].
    pub async fn open(path: impl AsRef<Path>, config: StateConfig) -> Result<Self, StateError> {
        config.check()?;
        let path = path.as_ref().to_path_buf();
        let p = path.clone();
        let db = blocking(move || {
            let db = Database::create(&p).map_err(|e| embedded(&p, e))?;
            let txn = db.begin_write().map_err(|e| embedded(&p, e))?;
            txn.open_table(ITEMS).map_err(|e| embedded(&p, e))?;
            txn.commit().map_err(|e| embedded(&p, e))?;
            Ok(db)
        })
        .await?;
        Ok(EmbeddedStore {
            db: Arc::new(db),
            path: Arc::new(path),
            config,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the items past their expiry from the file (reads ignore them anyway);
    /// the number removed. DynamoDB's TTL does this on its own; here a program calls it
    /// when it likes, at start-up for one.
    ///
    /// # Errors
    ///
    /// [`StateError::Embedded`].
    pub async fn purge_expired(&self) -> Result<u64, StateError> {
        let now = self.config.now_secs();
        self.run(move |db, _| {
            let txn = db.begin_write()?;
            let mut removed = 0;
            {
                let mut t = txn.open_table(ITEMS)?;
                t.retain(|_, (expires, _)| {
                    let keep = expires > now;
                    if !keep {
                        removed += 1;
                    }
                    keep
                })?;
            }
            txn.commit()?;
            Ok(removed)
        })
        .await
    }

    /// Runs `f` on the database in `spawn_blocking`.
    async fn run<T, F>(&self, f: F) -> Result<T, StateError>
    where
        T: Send + 'static,
        F: FnOnce(&Database, &Path) -> Result<T, Db> + Send + 'static,
    {
        let db = self.db.clone();
        let path = self.path.clone();
        blocking(move || {
            f(&db, &path).map_err(|Db(source)| StateError::Embedded {
                path: path.to_path_buf(),
                source,
            })
        })
        .await
    }
}

/// Any of redb's errors, boxed (they are large), for `?` in the closures of
/// [`EmbeddedStore::run`].
struct Db(Box<redb::Error>);

impl<E: Into<redb::Error>> From<E> for Db {
    fn from(e: E) -> Self {
        Db(Box::new(e.into()))
    }
}

fn embedded(path: &Path, e: impl Into<redb::Error>) -> StateError {
    StateError::Embedded {
        path: path.to_path_buf(),
        source: Box::new(e.into()),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StateError> + Send + 'static,
) -> Result<T, StateError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StateError::Task(e.to_string()))?
}

impl StateStore for EmbeddedStore {
    fn config(&self) -> &StateConfig {
        &self.config
    }

    fn put_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
        data: String,
    ) -> BoxFuture<'a, Result<(), StateError>> {
        let (table, pk) = (table.to_owned(), partition_key.to_owned());
        let expires = self.config.expires_at();
        Box::pin(self.run(move |db, _| {
            let txn = db.begin_write()?;
            {
                let mut t = txn.open_table(ITEMS)?;
                t.insert(
                    (table.as_str(), pk.as_str(), index),
                    (expires, data.as_bytes()),
                )?;
            }
            txn.commit()?;
            Ok(())
        }))
    }

    fn put_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        items: Vec<String>,
    ) -> BoxFuture<'a, Result<(), StateError>> {
        let (table, pk) = (table.to_owned(), partition_key.to_owned());
        let expires = self.config.expires_at();
        Box::pin(self.run(move |db, _| {
            let txn = db.begin_write()?;
            {
                let mut t = txn.open_table(ITEMS)?;
                let (table, pk) = (table.as_str(), pk.as_str());
                for (item, i) in items.iter().zip(0u64..) {
                    t.insert((table, pk, i), (expires, item.as_bytes()))?;
                }
                let n = items.len() as u64;
                // The stale higher indexes of an earlier, longer list.
                let stale = t
                    .range((table, pk, n)..=(table, pk, u64::MAX))?
                    .map(|r| r.map(|(k, _)| k.value().2))
                    .collect::<Result<Vec<u64>, _>>()?;
                for i in stale {
                    t.remove((table, pk, i))?;
                }
            }
            txn.commit()?;
            Ok(())
        }))
    }

    fn get_item<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
        index: u64,
    ) -> BoxFuture<'a, Result<String, StateError>> {
        let (table, pk) = (table.to_owned(), partition_key.to_owned());
        let now = self.config.now_secs();
        Box::pin(async move {
            let (t2, pk2) = (table.clone(), pk.clone());
            let found = self
                .run(move |db, _| {
                    let txn = db.begin_read()?;
                    let t = txn.open_table(ITEMS)?;
                    let found = t.get((t2.as_str(), pk2.as_str(), index))?;
                    Ok(found.and_then(|v| {
                        let (expires, data) = v.value();
                        (expires > now).then(|| data.to_vec())
                    }))
                })
                .await?;
            let bytes = found.ok_or_else(|| StateError::NoItem {
                table: table.clone(),
                partition_key: pk.clone(),
                index,
            })?;
            String::from_utf8(bytes).map_err(|e| StateError::Malformed {
                table,
                partition_key: pk,
                index,
                message: e.to_string(),
            })
        })
    }

    fn get_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<Vec<(u64, String)>, StateError>> {
        let (table, pk) = (table.to_owned(), partition_key.to_owned());
        let now = self.config.now_secs();
        Box::pin(async move {
            let (t2, pk2) = (table.clone(), pk.clone());
            let items = self
                .run(move |db, _| {
                    let txn = db.begin_read()?;
                    let t = txn.open_table(ITEMS)?;
                    let (table, pk) = (t2.as_str(), pk2.as_str());
                    let mut items = Vec::new();
                    for r in t.range((table, pk, 0)..=(table, pk, u64::MAX))? {
                        let (k, v) = r?;
                        let (expires, data) = v.value();
                        if expires > now {
                            items.push((k.value().2, data.to_vec()));
                        }
                    }
                    Ok(items)
                })
                .await?;
            items
                .into_iter()
                .map(|(i, bytes)| {
                    String::from_utf8(bytes)
                        .map(|s| (i, s))
                        .map_err(|e| StateError::Malformed {
                            table: table.clone(),
                            partition_key: pk.clone(),
                            index: i,
                            message: e.to_string(),
                        })
                })
                .collect()
        })
    }

    fn delete_items<'a>(
        &'a self,
        table: &'a str,
        partition_key: &'a str,
    ) -> BoxFuture<'a, Result<u64, StateError>> {
        let (table, pk) = (table.to_owned(), partition_key.to_owned());
        Box::pin(self.run(move |db, _| {
            let txn = db.begin_write()?;
            let n = {
                let mut t = txn.open_table(ITEMS)?;
                let (table, pk) = (table.as_str(), pk.as_str());
                let keys = t
                    .range((table, pk, 0)..=(table, pk, u64::MAX))?
                    .map(|r| r.map(|(k, _)| k.value().2))
                    .collect::<Result<Vec<u64>, _>>()?;
                for &i in &keys {
                    t.remove((table, pk, i))?;
                }
                keys.len() as u64
            };
            txn.commit()?;
            Ok(n)
        }))
    }
}
