//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL`, so nothing that
//! was acknowledged is lost.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::sql::{SqlTx, impl_sql_tx};
use super::{Storage, StorageError, Tx};

pub struct SqliteStorage {
    pool: SqlitePool,
}

impl SqliteStorage {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Writers queue for the write lock instead of failing at once.
            .busy_timeout(Duration::from_secs(30));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        let storage = Self { pool };
        storage.session_store().migrate().await?;
        Ok(storage)
    }
}

#[async_trait::async_trait]
impl Storage for SqliteStorage {
    async fn read(&self) -> Result<Box<dyn Tx>, StorageError> {
        let tx = self.pool.begin().await?;
        Ok(Box::new(SqlTx::<Sqlite> { tx, locking: false }))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StorageError> {
        // IMMEDIATE takes the write lock up front: what this transaction reads cannot change
        // under it, and it never fails to upgrade a read lock half way.
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(Box::new(SqlTx::<Sqlite> { tx, locking: true }))
    }

    fn session_store(&self) -> super::SessionBackend {
        super::SessionBackend::Sqlite(tower_sessions_sqlx_store::SqliteStore::new(
            self.pool.clone(),
        ))
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl_sql_tx!(Sqlite, "");
