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
        Ok(Box::new(SqlTx::<Postgres> { tx, locking: false }))
    }

    async fn write(&self) -> Result<Box<dyn Tx>, StorageError> {
        // READ COMMITTED with row locks: every row a write depends on is read FOR UPDATE.
        let tx = self.pool.begin().await?;
        Ok(Box::new(SqlTx::<Postgres> { tx, locking: true }))
    }

    fn session_store(&self) -> super::SessionBackend {
        super::SessionBackend::Postgres(tower_sessions_sqlx_store::PostgresStore::new(
            self.pool.clone(),
        ))
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

impl_sql_tx!(Postgres, " FOR UPDATE");
