//! Group commit on SQLite's one writer connection.
//!
//! With `synchronous=FULL` every COMMIT waits for an fsync of the WAL (about a millisecond on
//! the machines we measure on). Writers that queue one behind the other would each wait for
//! all the fsyncs before theirs. Instead, the writers that queue up share one transaction:
//! each runs in a savepoint of its own (a request that fails or is refused rolls back to its
//! savepoint and leaves the others' work alone), and a flusher task commits the transaction
//! once, when its turn in the queue comes, then answers every writer in it. One fsync for many
//! requests, and nothing is acknowledged before it is durable: a writer's `commit` returns
//! only after the COMMIT that holds its work, and a failed COMMIT fails every writer in the
//! group, none of which had been answered.
//!
//! The queue is a fair async mutex: writers get the connection in arrival order, without
//! SQLite's busy handler (which sleeps and polls) ever being involved inside this process.

use std::sync::Arc;

use sqlx::{Executor, Sqlite, SqliteConnection};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

use super::StorageError;
use super::sql::SharedTransaction;

/// What a waiting writer is told once the group ends: committed, or why not.
type Outcome = Result<(), String>;

/// How the last writer left its savepoint; whoever takes the connection next ends it, so that
/// leaving never awaits (a writer whose request is cancelled half way leaves cleanly too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LastWriter {
    /// Nothing to end.
    Settled,
    /// It committed: release its savepoint into the group.
    Committed,
    /// It was dropped without committing (refused, failed or cancelled): roll its savepoint
    /// back.
    Abandoned,
}

/// The writer connection and the group transaction open on it.
struct Slot {
    connection: SqliteConnection,
    /// `BEGIN IMMEDIATE` ran and the group has not committed or rolled back yet.
    open: bool,
    last_writer: LastWriter,
    /// Writers whose work is in the open transaction, waiting for it to be durable.
    waiting: Vec<oneshot::Sender<Outcome>>,
}

impl Slot {
    /// Ends the last writer's savepoint.
    async fn settle(&mut self) {
        let ended = match std::mem::replace(&mut self.last_writer, LastWriter::Settled) {
            LastWriter::Settled => return,
            LastWriter::Committed => self.connection.execute("RELEASE member").await,
            LastWriter::Abandoned => match self.connection.execute("ROLLBACK TO member").await {
                Ok(_) => self.connection.execute("RELEASE member").await,
                Err(error) => Err(error),
            },
        };
        if let Err(error) = ended {
            // SQLite ended the whole transaction (it does on some I/O errors): the group's
            // work is gone, so its writers must hear it.
            self.fail_group(&error.to_string()).await;
        }
    }

    /// Commits the open group and answers its writers.
    async fn commit_group(&mut self) {
        self.settle().await;
        if !self.open {
            return;
        }
        match self.connection.execute("COMMIT").await {
            Ok(_) => {
                self.open = false;
                for writer in self.waiting.drain(..) {
                    // A writer whose request was cancelled no longer listens; its work stands.
                    let _ = writer.send(Ok(()));
                }
            }
            Err(error) => self.fail_group(&error.to_string()).await,
        }
    }

    /// Rolls the whole group back and tells its writers why.
    async fn fail_group(&mut self, reason: &str) {
        // It may already be rolled back by SQLite; then this fails, and that is fine.
        let _ = self.connection.execute("ROLLBACK").await;
        self.open = false;
        for writer in self.waiting.drain(..) {
            let _ = writer.send(Err(reason.to_string()));
        }
    }
}

/// SQLite's writer: one connection, shared by the queue of writers as described above.
pub struct GroupCommit {
    slot: Arc<Mutex<Slot>>,
    flush: Arc<Notify>,
    flusher: tokio::task::JoinHandle<()>,
}

impl GroupCommit {
    pub fn new(connection: SqliteConnection) -> Self {
        let slot = Arc::new(Mutex::new(Slot {
            connection,
            open: false,
            last_writer: LastWriter::Settled,
            waiting: Vec::new(),
        }));
        let flush = Arc::new(Notify::new());
        let flusher = tokio::spawn(flush_when_told(slot.clone(), flush.clone()));
        GroupCommit {
            slot,
            flush,
            flusher,
        }
    }

    /// Joins the open group transaction, or opens one, as a new writer in a savepoint.
    pub async fn join(&self) -> Result<GroupMember, StorageError> {
        // In a task of its own: a request cancelled while it joins (the client went away) must
        // not leave `BEGIN` or `SAVEPOINT` half done; the task finishes, and a member nobody
        // takes is dropped like any abandoned writer.
        let joining = tokio::spawn(join_group(self.slot.clone(), self.flush.clone()));
        joining
            .await
            .map_err(|error| StorageError::CommitFailed(format!("the writer stopped: {error}")))?
    }

    /// The writer connection for work that runs a transaction of its own (seeding, purging),
    /// once the open group, if any, has committed.
    pub async fn exclusive(&self) -> ExclusiveWriter {
        let mut slot = self.slot.clone().lock_owned().await;
        slot.commit_group().await;
        ExclusiveWriter(slot)
    }

    /// Commits what is open, for a clean shutdown.
    pub async fn flush(&self) {
        self.slot.lock().await.commit_group().await;
    }
}

impl Drop for GroupCommit {
    fn drop(&mut self) {
        self.flusher.abort();
    }
}

async fn join_group(
    slot: Arc<Mutex<Slot>>,
    flush: Arc<Notify>,
) -> Result<GroupMember, StorageError> {
    let mut slot = slot.lock_owned().await;
    slot.settle().await;
    if !slot.open {
        // IMMEDIATE takes the write lock up front: what the group reads cannot change under
        // it, and it never fails to upgrade a read lock half way.
        slot.connection.execute("BEGIN IMMEDIATE").await?;
        slot.open = true;
    }
    if let Err(error) = slot.connection.execute("SAVEPOINT member").await {
        slot.fail_group(&error.to_string()).await;
        return Err(error.into());
    }
    Ok(GroupMember {
        slot,
        flush,
        finished: false,
    })
}

/// The flusher: commits the group each time a writer finishes, when its turn in the queue
/// comes. Writers that queued before it join the group first.
async fn flush_when_told(slot: Arc<Mutex<Slot>>, flush: Arc<Notify>) {
    loop {
        flush.notified().await;
        slot.lock().await.commit_group().await;
    }
}

/// One writer's share of the group transaction, holding the connection until it finishes.
pub struct GroupMember {
    slot: OwnedMutexGuard<Slot>,
    flush: Arc<Notify>,
    finished: bool,
}

impl Drop for GroupMember {
    fn drop(&mut self) {
        if !self.finished {
            // Dropped without committing: its savepoint is rolled back before anyone else
            // writes, and the flusher ends the group if nobody else is coming.
            self.slot.last_writer = LastWriter::Abandoned;
            self.flush.notify_one();
        }
    }
}

#[async_trait::async_trait]
impl SharedTransaction<Sqlite> for GroupMember {
    fn connection(&mut self) -> &mut SqliteConnection {
        &mut self.slot.connection
    }

    fn connection_ref(&self) -> &SqliteConnection {
        &self.slot.connection
    }

    async fn commit(mut self: Box<Self>) -> Result<(), StorageError> {
        let (told, outcome) = oneshot::channel();
        self.slot.waiting.push(told);
        self.slot.last_writer = LastWriter::Committed;
        self.finished = true;
        self.flush.notify_one();
        // The next writer's turn: its work joins this group.
        drop(self);
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(StorageError::CommitFailed(reason)),
            Err(_) => Err(StorageError::CommitFailed(
                "the database closed before the commit".to_string(),
            )),
        }
    }
}

/// The writer connection, held alone (see [`GroupCommit::exclusive`]).
pub struct ExclusiveWriter(OwnedMutexGuard<Slot>);

impl std::ops::Deref for ExclusiveWriter {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.0.connection
    }
}

impl std::ops::DerefMut for ExclusiveWriter {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.0.connection
    }
}
