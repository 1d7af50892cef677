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

    async fn purge(&self, cutoffs: &super::PurgeCutoffs) -> Result<super::Purged, StorageError> {
        // Times are stored as text; julianday() compares them as instants.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let sessions =
            sqlx::query("DELETE FROM tower_sessions WHERE julianday(expiry_date) < julianday($1)")
                .bind(cutoffs.now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let api_tokens = sqlx::query(
            "DELETE FROM api_tokens WHERE julianday(expires_at) < julianday($1) \
             OR julianday(revoked_at) < julianday($1)",
        )
        .bind(cutoffs.now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let idempotency_keys =
            sqlx::query("DELETE FROM idempotency_keys WHERE julianday(created_at) < julianday($1)")
                .bind(cutoffs.idempotency_before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let throttle_rows = sqlx::query(
            "DELETE FROM sign_in_throttle WHERE julianday(window_started_at) < julianday($1) \
             AND (locked_until IS NULL OR julianday(locked_until) < julianday($2))",
        )
        .bind(cutoffs.throttle_before)
        .bind(cutoffs.now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(super::Purged {
            sessions,
            api_tokens,
            idempotency_keys,
            throttle_rows,
        })
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl_sql_tx!(Sqlite, "");
