//! The embedded default: one SQLite file in WAL mode with `synchronous=FULL`, so nothing that
//! was acknowledged is lost.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use sqlx::{ConnectOptions, Connection, Executor, Sqlite};

use super::group_commit::GroupCommit;
use super::sql::{SqlTx, impl_sql_tx};
use super::{Storage, StorageError, Tx};

/// Writes go through one connection of their own, with group commit (see
/// [`super::group_commit`]): writers queue in this process, in arrival order, instead of
/// colliding on `BEGIN IMMEDIATE` and sleeping in SQLite's busy handler (1, 2, 5 … 100 ms
/// between polls), and the queued writers share one COMMIT. One connection also keeps its page
/// cache warm: a connection drops it whenever another one has written. Reads use the pool; in
/// WAL mode they never wait for the writer. Other processes on the same file (the CLI) still
/// meet the busy timeout.
pub struct SqliteStorage {
    pool: SqlitePool,
    writer: GroupCommit,
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
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        let writer = GroupCommit::new(options.connect().await?);
        let storage = Self { pool, writer };
        storage.session_store().migrate().await?;
        Ok(storage)
    }
}

#[async_trait::async_trait]
impl Storage for SqliteStorage {
    async fn read(&self) -> Result<Box<dyn Tx>, StorageError> {
        let tx = self.pool.begin().await?;
        Ok(Box::new(SqlTx::<Sqlite>::new(tx, false)))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StorageError> {
        let member = self.writer.join().await?;
        Ok(Box::new(SqlTx::<Sqlite>::shared(Box::new(member))))
    }

    async fn token_user(
        &self,
        token_hash: &str,
    ) -> Result<Option<super::TokenUserRecord>, StorageError> {
        Ok(sqlx::query_as(super::sql::auth::TOKEN_USER)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?)
    }

    fn session_store(&self) -> super::SessionBackend {
        super::SessionBackend::Sqlite(tower_sessions_sqlx_store::SqliteStore::new(
            self.pool.clone(),
        ))
    }

    async fn seed_scale(
        &self,
        plan: &super::scale::ScalePlan,
    ) -> Result<super::scale::ScaleSeeded, StorageError> {
        let mut writer = self.writer.exclusive().await;
        let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
        let seeded = super::scale::seed_in!(
            tx,
            plan,
            super::scale::Dialect::Sqlite,
            super::scale::SQLITE_BASES,
            sqlx::SqliteConnection
        );
        writer.execute("ANALYZE").await?;
        // Keep the per-index row counts (sqlite_stat1), drop the STAT4 samples: with samples,
        // SQLite re-plans a statement each time a value bound to an indexed column changes
        // (a page's cursor, its `IN` list of ids), which was 15% of a list request's time
        // here; stat1 alone picks the same indexes.
        let samples: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'")
                .fetch_optional(&mut *writer)
                .await?;
        if samples.is_some() {
            writer.execute("DELETE FROM sqlite_stat4").await?;
            // Reloads the statistics.
            writer.execute("ANALYZE sqlite_schema").await?;
        }
        Ok(seeded)
    }

    async fn explain_credit_note_list(
        &self,
        filter: &super::CreditNoteFilter,
        page: super::Page,
    ) -> Result<super::ExplainedQuery, StorageError> {
        let list = super::sql::lists::credit_notes(filter, page);
        let explain = format!("EXPLAIN QUERY PLAN {}", list.sql);
        let steps: Vec<(i64, i64, i64, String)> = super::sql::lists::bind_list_args!(
            sqlx::query_as::<_, (i64, i64, i64, String)>(&explain),
            list.args
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(super::ExplainedQuery {
            sql: list.sql,
            plan: steps.into_iter().map(|(_, _, _, detail)| detail).collect(),
        })
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn purge(&self, cutoffs: &super::PurgeCutoffs) -> Result<super::Purged, StorageError> {
        // Times are stored as text; julianday() compares them as instants.
        let mut writer = self.writer.exclusive().await;
        let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
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
        // A sent message's PDF is kept for the retention period; its record stays for good.
        let mail_attachments = sqlx::query(
            "UPDATE outbox SET attachment = $2 WHERE status = 'sent' AND julianday(sent_at) < julianday($1) AND length(attachment) > 0",
        )
        .bind(cutoffs.mail_attachments_before)
        .bind(Vec::<u8>::new())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(super::Purged {
            sessions,
            api_tokens,
            idempotency_keys,
            throttle_rows,
            mail_attachments,
        })
    }

    async fn close(&self) {
        self.writer.flush().await;
        self.pool.close().await;
    }
}

impl_sql_tx!(Sqlite, "");
