//! Templates are code an administrator writes, and Typst cannot stop a compilation once it
//! has started: a template that loops or allocates without end would hold a thread and the
//! memory of the server for good. So documents are rendered in worker processes (the same
//! binary, `creditdesk render-worker`), each with a cap on its address space, and the server
//! kills a worker that runs past the wall-clock limit. Workers are kept between documents:
//! a warm worker renders as fast as the server did in-process; a killed one is replaced at
//! the next document.
//!
//! The protocol on the worker's standard input and output is a frame per message: its length
//! (8 bytes, little-endian), then the bytes. A request is a [`RenderJob`] as JSON; an answer
//! is one status byte ([`ANSWER_PDF`], [`ANSWER_TEMPLATE_ERROR`], [`ANSWER_OUTPUT_ERROR`]) then
//! the PDF or the message.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::PrintError;

/// The hidden subcommand a worker runs as.
pub const WORKER_COMMAND: &str = "render-worker";

const ANSWER_PDF: u8 = 0;
const ANSWER_TEMPLATE_ERROR: u8 = 1;
const ANSWER_OUTPUT_ERROR: u8 = 2;

/// A request larger than this is not a document (templates are capped at 256 KiB, logos at
/// a few MiB): the worker refuses it instead of allocating it.
const MAX_FRAME_BYTES: u64 = 64 * 1024 * 1024;

/// How long and how much memory one document may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderLimits {
    /// Wall-clock time from asking for a worker to the PDF; also the whole budget of the
    /// sample renders that check a template when it is saved.
    pub time: Duration,
    /// The worker's address space, in MiB.
    pub memory_mib: u64,
}

impl Default for RenderLimits {
    /// 5 s: documents render in tens of milliseconds (BENCHMARKS.md), so this only ever stops
    /// a template that went wrong, and a template is refused at save within 10 s.
    /// 1 GiB: a warm worker holds about 250 MiB of address space (80 MiB resident).
    fn default() -> Self {
        RenderLimits {
            time: Duration::from_secs(5),
            memory_mib: 1024,
        }
    }
}

/// One document to render: every source the compilation reads, and its inputs.
#[derive(Debug, Serialize, Deserialize)]
pub struct RenderJob {
    /// The main file: `credit-note.typ`, `invoice.typ` or `facturx.typ`.
    pub main: String,
    /// File name and text of each source the main file may import.
    pub sources: Vec<(String, String)>,
    /// The document as JSON (`sys.inputs.data`).
    pub data: String,
    /// The seller's logo, base64 (`sys.inputs.logo`).
    pub logo: Option<String>,
    /// The CII XML a Factur-X PDF carries (`sys.inputs.facturx`).
    pub facturx: Option<String>,
}

impl RenderJob {
    pub fn logo_bytes(&self) -> Option<Vec<u8>> {
        self.logo
            .as_deref()
            .and_then(|logo| base64::engine::general_purpose::STANDARD.decode(logo).ok())
    }

    pub fn encode_logo(logo: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(logo)
    }
}

/// The worker processes of one server, at most one per core.
#[derive(Debug)]
pub struct RenderWorkers {
    program: PathBuf,
    limits: RenderLimits,
    slots: Semaphore,
    idle: Mutex<Vec<Worker>>,
}

#[derive(Debug)]
struct Worker {
    child: Child,
    input: ChildStdin,
    output: ChildStdout,
}

impl RenderWorkers {
    /// Workers started from `program` (the `creditdesk` binary).
    pub fn new(program: PathBuf, limits: RenderLimits) -> Self {
        let count = std::thread::available_parallelism().map_or(2, usize::from);
        RenderWorkers {
            program,
            limits,
            slots: Semaphore::new(count),
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn limits(&self) -> RenderLimits {
        self.limits
    }

    /// Renders `job` in a worker, by `deadline` at the latest.
    pub async fn render(&self, job: &RenderJob, deadline: Instant) -> Result<Vec<u8>, PrintError> {
        let too_slow = || PrintError::TooSlow {
            seconds: self.limits.time.as_secs_f64(),
        };
        let request = serde_json::to_vec(job)
            .map_err(|error| PrintError::Worker(format!("the request: {error}")))?;
        let _slot = tokio::time::timeout_at(deadline, self.slots.acquire())
            .await
            .map_err(|_| PrintError::Busy)?
            .map_err(|_| PrintError::Busy)?;
        // A worker kept idle may have died meanwhile (killed by an operator, say): then the
        // document goes to a new one, once.
        let mut fresh_only = false;
        loop {
            let idle = match fresh_only {
                true => None,
                false => self.idle.lock().ok().and_then(|mut idle| idle.pop()),
            };
            let reused = idle.is_some();
            let mut worker = match idle {
                Some(worker) => worker,
                None => self.start()?,
            };
            return match tokio::time::timeout_at(deadline, worker.exchange(&request)).await {
                Ok(Ok((status, body))) => {
                    if let Ok(mut idle) = self.idle.lock() {
                        idle.push(worker);
                    }
                    match status {
                        ANSWER_PDF => Ok(body),
                        ANSWER_TEMPLATE_ERROR => {
                            Err(PrintError::Template(String::from_utf8_lossy(&body).into()))
                        }
                        _ => Err(PrintError::Output(String::from_utf8_lossy(&body).into())),
                    }
                }
                Ok(Err(error)) => {
                    let status =
                        tokio::time::timeout(Duration::from_secs(1), worker.child.wait()).await;
                    let status = status.ok().and_then(Result::ok);
                    // Past its memory cap an allocation fails and the allocator aborts.
                    if status.and_then(|status| status.signal()) == Some(libc::SIGABRT) {
                        tracing::warn!("a PDF render ran out of memory; its worker stopped");
                        return Err(PrintError::TooBig {
                            mib: self.limits.memory_mib,
                        });
                    }
                    if reused {
                        tracing::warn!(?status, "an idle PDF worker had stopped; starting another");
                        fresh_only = true;
                        continue;
                    }
                    Err(PrintError::Worker(format!(
                        "the PDF worker stopped ({}): {error}",
                        status.map_or_else(|| "still running".into(), |s| s.to_string())
                    )))
                }
                Err(_) => {
                    // Dropping the worker kills it (`kill_on_drop`): its loop ends with it.
                    tracing::warn!("a PDF render ran past its time limit; its worker was stopped");
                    Err(too_slow())
                }
            };
        }
    }

    fn start(&self) -> Result<Worker, PrintError> {
        let mut child = Command::new(&self.program)
            .arg(WORKER_COMMAND)
            .arg("--memory-mib")
            .arg(self.limits.memory_mib.to_string())
            // Each allocator arena reserves 64 MiB of address space: two are plenty.
            .env("MALLOC_ARENA_MAX", "2")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                PrintError::Worker(format!(
                    "cannot start {} {WORKER_COMMAND}: {error}",
                    self.program.display()
                ))
            })?;
        let (Some(input), Some(output)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(PrintError::Worker("the worker has no pipes".into()));
        };
        Ok(Worker {
            child,
            input,
            output,
        })
    }
}

impl Worker {
    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<(u8, Vec<u8>)> {
        self.input
            .write_all(&(request.len() as u64).to_le_bytes())
            .await?;
        self.input.write_all(request).await?;
        self.input.flush().await?;
        let length = self.output.read_u64_le().await?;
        if length == 0 || length > MAX_FRAME_BYTES + 1 {
            return Err(std::io::Error::other("a malformed answer"));
        }
        let status = self.output.read_u8().await?;
        let mut body = vec![0; (length - 1) as usize];
        self.output.read_exact(&mut body).await?;
        Ok((status, body))
    }
}

/// The worker's life: cap its memory, tie it to its server, then answer jobs until its input
/// closes. Only `main` calls this, for `creditdesk render-worker`.
pub fn serve(memory_mib: u64) -> std::io::Result<()> {
    use std::io::{Read, Write};
    limit_address_space(memory_mib)?;
    die_with_parent();
    let mut input = std::io::stdin().lock();
    let mut output = std::io::stdout().lock();
    loop {
        let mut length = [0; 8];
        match input.read_exact(&mut length) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(error) => return Err(error),
        }
        let length = u64::from_le_bytes(length);
        if length > MAX_FRAME_BYTES {
            return Err(std::io::Error::other("a request larger than any document"));
        }
        let mut request = vec![0; length as usize];
        input.read_exact(&mut request)?;
        let answer = match serde_json::from_slice::<RenderJob>(&request) {
            Ok(job) => std::panic::catch_unwind(|| super::compile_job(&job)).unwrap_or_else(|_| {
                Err(PrintError::Template(
                    "Typst stopped on this document (an internal error)".into(),
                ))
            }),
            Err(error) => Err(PrintError::Output(format!("a malformed request: {error}"))),
        };
        let (status, body) = match answer {
            Ok(pdf) => (ANSWER_PDF, pdf),
            Err(PrintError::Template(message)) => (ANSWER_TEMPLATE_ERROR, message.into_bytes()),
            Err(other) => (ANSWER_OUTPUT_ERROR, other.to_string().into_bytes()),
        };
        output.write_all(&(body.len() as u64 + 1).to_le_bytes())?;
        output.write_all(&[status])?;
        output.write_all(&body)?;
        output.flush()?;
    }
}

/// An allocation past the cap fails, and Rust's allocator then aborts the worker: the server
/// sees it die and reports the memory limit.
fn limit_address_space(memory_mib: u64) -> std::io::Result<()> {
    let bytes = memory_mib.saturating_mul(1024 * 1024);
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this process's limits.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// A worker outlives nothing: when its server dies mid-render, the kernel kills it too.
fn die_with_parent() {
    // SAFETY: PR_SET_PDEATHSIG takes a signal number and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
}
