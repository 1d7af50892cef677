//! PostgreSQL, for several stateless creditdesk servers sharing one database.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Connection, Postgres};

use super::sql::{SqlTx, impl_sql_tx};
use super::{Storage, StorageError, Tx};

pub struct PostgresStorage {
    pool: PgPool,
}

impl PostgresStorage {
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        // One direct attempt first: it says why (refused, unknown database, bad password)
        // where the pool would only report a time-out.
        sqlx::PgConnection::connect(url).await?.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("../migrations/postgres").run(&pool).await?;
        let storage = Self { pool };
        storage.session_store().migrate().await?;
        Ok(storage)
    }
}

#[async_trait::async_trait]
impl Storage for PostgresStorage {
    async fn read(&self) -> Result<Box<dyn Tx>, StorageError> {
        let tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        Ok(Box::new(SqlTx::<Postgres>::new(tx, false)))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StorageError> {
        // READ COMMITTED with row locks: every row a write depends on is read FOR UPDATE.
        let tx = self.pool.begin().await?;
        Ok(Box::new(SqlTx::<Postgres>::new(tx, true)))
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
        super::SessionBackend::Postgres(tower_sessions_sqlx_store::PostgresStore::new(
            self.pool.clone(),
        ))
    }

    async fn seed_scale(
        &self,
        plan: &super::scale::ScalePlan,
    ) -> Result<super::scale::ScaleSeeded, StorageError> {
        let mut tx = self.pool.begin().await?;
        // No other server writes documents while the ids above the bases are taken.
        sqlx::query(
            "LOCK TABLE customers, invoices, credit_notes, allocations, payments, \
             credit_note_counters IN EXCLUSIVE MODE",
        )
        .execute(&mut *tx)
        .await?;
        let seeded = super::scale::seed_in!(
            tx,
            plan,
            super::scale::Dialect::Postgres,
            super::scale::POSTGRES_BASES,
            sqlx::PgConnection
        );
        // What autovacuum does to a live database, at once: statistics for the planner, and
        // the visibility map that lets index-only scans skip the table (a bulk load leaves
        // it empty, and every list query would read the heap).
        sqlx::query("VACUUM (ANALYZE)").execute(&self.pool).await?;
        Ok(seeded)
    }

    async fn explain_credit_note_list(
        &self,
        filter: &super::CreditNoteFilter,
        page: super::Page,
    ) -> Result<super::ExplainedQuery, StorageError> {
        let list = super::sql::lists::credit_notes(filter, page);
        let explain = format!("EXPLAIN (ANALYZE, COSTS OFF) {}", list.sql);
        let plan: Vec<String> = super::sql::lists::bind_list_args!(
            sqlx::query_scalar::<_, String>(&explain),
            list.args
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(super::ExplainedQuery {
            sql: list.sql,
            plan,
        })
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn purge(&self, cutoffs: &super::PurgeCutoffs) -> Result<super::Purged, StorageError> {
        let mut tx = self.pool.begin().await?;
        let sessions = sqlx::query("DELETE FROM tower_sessions.session WHERE expiry_date < $1")
            .bind(cutoffs.now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let api_tokens =
            sqlx::query("DELETE FROM api_tokens WHERE expires_at < $1 OR revoked_at < $1")
                .bind(cutoffs.now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let idempotency_keys = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(cutoffs.idempotency_before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let throttle_rows = sqlx::query(
            "DELETE FROM sign_in_throttle WHERE window_started_at < $1 \
             AND (locked_until IS NULL OR locked_until < $2)",
        )
        .bind(cutoffs.throttle_before)
        .bind(cutoffs.now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // A sent message's PDF is kept for the retention period; its record stays for good.
        let mail_attachments = sqlx::query(
            "UPDATE outbox SET attachment = $2 WHERE status = 'sent' AND sent_at < $1 AND octet_length(attachment) > 0",
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
        self.pool.close().await;
    }
}

impl_sql_tx!(Postgres, " FOR UPDATE");
