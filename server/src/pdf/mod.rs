//! PDFs of credit notes and invoices: Typst templates compiled in-process with the fonts
//! embedded in the binary (`server/fonts`), so nothing is looked up or downloaded to render.
//!
//! Each kind of document has a template (`credit-note.typ`, `invoice.typ`) that imports the
//! shared `layout.typ`. Which template applies, most specific first: the one saved in Settings
//! (checked when saved), the one in the `CREDITDESK_TEMPLATES` directory (checked at start-up),
//! the built-in one (`server/templates`). A template reads the document as JSON from
//! `sys.inputs.data`; [`print::PrintData`] is that JSON.

pub mod print;
pub mod worker;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use app::model::DocumentKind;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Dict, IntoValue};
use typst::syntax::DiagSpanKind;
use typst::text::Font;
use typst_as_lib::{TypstAsLibError, TypstEngine};
use typst_layout::PagedDocument;

pub use print::PrintData;
pub use worker::{RenderJob, RenderLimits, RenderWorkers};

use tokio::time::Instant;

/// The shared layout's file name; templates import it.
const LAYOUT: &str = "layout.typ";

/// The main file of a Factur-X PDF: the document's template, and the XML attached.
const FACTURX_MAIN: &str = "facturx.typ";

const BUILT_IN: [(&str, &str); 3] = [
    (LAYOUT, include_str!("../../templates/layout.typ")),
    (
        "credit-note.typ",
        include_str!("../../templates/credit-note.typ"),
    ),
    ("invoice.typ", include_str!("../../templates/invoice.typ")),
];

/// Every face the templates may name, parsed once.
static FONTS: LazyLock<Vec<Font>> = LazyLock::new(|| {
    [
        &include_bytes!("../../fonts/NotoSans-Regular.ttf")[..],
        &include_bytes!("../../fonts/NotoSans-Bold.ttf")[..],
        &include_bytes!("../../fonts/NotoSans-Italic.ttf")[..],
        &include_bytes!("../../fonts/DroidSansFallbackFull.ttf")[..],
    ]
    .into_iter()
    .flat_map(|bytes| Font::iter(typst::foundations::Bytes::new(bytes)))
    .collect()
});

/// Templates are text files of modest size.
const MAX_TEMPLATE_BYTES: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The template does not compile, or fails on this document: what Typst said.
    #[error("{0}")]
    Template(String),
    /// The PDF came out in a shape the Factur-X step does not know (a bug, not input).
    #[error("{0}")]
    Output(String),
    #[error("the templates directory {path}: {reason}")]
    Directory { path: String, reason: String },
    /// The render ran past the wall-clock limit; its worker was stopped.
    #[error("rendering took longer than {seconds} s, the limit")]
    TooSlow { seconds: f64 },
    /// The render's worker died, out of memory (or worse).
    #[error("rendering used more than {mib} MiB of memory, the limit")]
    TooBig { mib: u64 },
    /// Every worker stayed busy until the deadline.
    #[error("every PDF renderer is busy")]
    Busy,
    /// No worker could be started.
    #[error("{0}")]
    Worker(String),
}

/// The template file of a kind of document.
pub fn template_file(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::CreditNote => "credit-note.typ",
        DocumentKind::Invoice => "invoice.typ",
    }
}

/// The built-in template of a kind, as shipped.
pub fn built_in_template(kind: DocumentKind) -> &'static str {
    built_in(template_file(kind)).unwrap_or_default()
}

fn built_in(file: &str) -> Option<&'static str> {
    BUILT_IN
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, source)| *source)
}

/// Renders documents in worker processes (see [`worker`]); holds the templates of the
/// templates directory, if one was given.
#[derive(Debug)]
pub struct Printer {
    directory: BTreeMap<&'static str, String>,
    workers: RenderWorkers,
}

impl Default for Printer {
    /// The built-in templates, rendered by workers of this very binary with the default limits.
    fn default() -> Self {
        let program = std::env::current_exe().unwrap_or_else(|_| "creditdesk".into());
        Printer {
            directory: BTreeMap::new(),
            workers: RenderWorkers::new(program, RenderLimits::default()),
        }
    }
}

impl Printer {
    /// A printer with the built-in templates, overridden by those of `directory` that exist
    /// there, rendering with `workers`. [`Printer::check_directory`] then renders each kind
    /// against the samples, so a broken template stops the server at start-up rather than a
    /// PDF later.
    pub fn new(directory: Option<&Path>, workers: RenderWorkers) -> Result<Self, PrintError> {
        let mut printer = Printer {
            directory: BTreeMap::new(),
            workers,
        };
        if let Some(directory) = directory {
            let fail = |reason: String| PrintError::Directory {
                path: directory.display().to_string(),
                reason,
            };
            if !directory.is_dir() {
                return Err(fail("not a directory".into()));
            }
            for (file, _) in BUILT_IN {
                let path = directory.join(file);
                if path.exists() {
                    let source = std::fs::read_to_string(&path)
                        .map_err(|error| fail(format!("{file}: {error}")))?;
                    printer.directory.insert(file, source);
                }
            }
        }
        Ok(printer)
    }

    /// Renders the samples of each kind with the templates of the directory (a no-op without
    /// one): Typst's error names the file and line of a broken one.
    pub async fn check_directory(&self) -> Result<(), PrintError> {
        if self.directory.is_empty() {
            return Ok(());
        }
        for kind in DocumentKind::ALL {
            self.check(kind, None)
                .await
                .map_err(|error| PrintError::Directory {
                    path: "--templates".into(),
                    reason: format!("{}: {error}", template_file(kind)),
                })?;
        }
        Ok(())
    }

    /// The template that applies to `kind` when none is saved in Settings.
    pub fn default_template(&self, kind: DocumentKind) -> &str {
        self.source(template_file(kind))
    }

    pub fn limits(&self) -> RenderLimits {
        self.workers.limits()
    }

    fn source(&self, file: &str) -> &str {
        self.directory
            .get(file)
            .map(String::as_str)
            .or_else(|| built_in(file))
            .unwrap_or_default()
    }

    /// Refuses a template that does not render every sample document of its kind, all of
    /// them within one render's time limit.
    pub async fn check(&self, kind: DocumentKind, saved: Option<&str>) -> Result<(), PrintError> {
        if saved.is_some_and(|source| source.len() > MAX_TEMPLATE_BYTES) {
            return Err(PrintError::Template(format!(
                "A template has at most {} KiB",
                MAX_TEMPLATE_BYTES / 1024
            )));
        }
        let deadline = Instant::now() + self.limits().time;
        for sample in print::samples(kind) {
            let job = self.job(kind, saved, &sample, None)?;
            self.workers.render(&job, deadline).await?;
        }
        Ok(())
    }

    /// The document as a PDF, from the template saved in Settings if any.
    pub async fn render(
        &self,
        kind: DocumentKind,
        saved: Option<&str>,
        data: &PrintData,
    ) -> Result<Vec<u8>, PrintError> {
        let job = self.job(kind, saved, data, None)?;
        self.workers
            .render(&job, Instant::now() + self.limits().time)
            .await
    }

    /// The document as a Factur-X PDF: PDF/A-3b with `cii` (the document's EN 16931 XML)
    /// attached as `factur-x.xml`, the printed document its human-readable alternative.
    /// Whatever template applies prints it, so a saved template needs nothing for Factur-X.
    pub async fn render_facturx(
        &self,
        kind: DocumentKind,
        saved: Option<&str>,
        data: &PrintData,
        cii: &str,
    ) -> Result<Vec<u8>, PrintError> {
        let job = self.job(kind, saved, data, Some(cii))?;
        self.workers
            .render(&job, Instant::now() + self.limits().time)
            .await
    }

    /// Renders a job made earlier (an issued document's frozen print).
    pub async fn render_job(&self, job: &RenderJob) -> Result<Vec<u8>, PrintError> {
        self.workers
            .render(job, Instant::now() + self.limits().time)
            .await
    }

    /// What a worker needs to render the document: the sources and the inputs.
    pub fn job(
        &self,
        kind: DocumentKind,
        saved: Option<&str>,
        data: &PrintData,
        facturx: Option<&str>,
    ) -> Result<RenderJob, PrintError> {
        let template = template_file(kind);
        let wrapper = format!(
            "#include \"{template}\"\n#pdf.attach(\"{}\", bytes(sys.inputs.facturx), \
             relationship: \"alternative\", mime-type: \"text/xml\", \
             description: \"Factur-X: the document in EN 16931 XML\")\n",
            crate::einvoice::FACTURX_FILE_NAME
        );
        let data_json = serde_json::to_string(data)
            .map_err(|error| PrintError::Template(format!("document data: {error}")))?;
        Ok(RenderJob {
            main: match facturx {
                Some(_) => FACTURX_MAIN.to_string(),
                None => template.to_string(),
            },
            sources: vec![
                (
                    template.to_string(),
                    saved.unwrap_or_else(|| self.source(template)).to_string(),
                ),
                (LAYOUT.to_string(), self.source(LAYOUT).to_string()),
                (FACTURX_MAIN.to_string(), wrapper),
            ],
            data: data_json,
            logo: data.logo.as_ref().map(|logo| RenderJob::encode_logo(logo)),
            facturx: facturx.map(str::to_string),
        })
    }
}

/// Compiles one job: what a worker does with each request.
fn compile_job(job: &RenderJob) -> Result<Vec<u8>, PrintError> {
    let sources: Vec<(&str, &str)> = job
        .sources
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let engine = TypstEngine::builder()
        .fonts(FONTS.iter().cloned())
        .with_static_source_file_resolver(sources.iter().copied())
        .build();
    let mut inputs = Dict::new();
    inputs.insert("data".into(), job.data.as_str().into_value());
    if let Some(logo) = job.logo_bytes() {
        inputs.insert(
            "logo".into(),
            typst::foundations::Bytes::new(logo).into_value(),
        );
    }
    let mut options = typst_pdf::PdfOptions::default();
    if let Some(cii) = &job.facturx {
        inputs.insert("facturx".into(), cii.as_str().into_value());
        options.standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_3b])
            .map_err(|error| PrintError::Template(error.message().to_string()))?;
        // PDF/A with attachments needs the file's date: when it was made.
        options.timestamp = now_timestamp();
    }
    let document: PagedDocument = engine
        .compile_with_input(job.main.as_str(), inputs)
        .output
        .map_err(|error| PrintError::Template(describe(error, &sources)))?;
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| PrintError::Template(diagnostics(&errors, &sources)))?;
    match job.facturx {
        Some(_) => crate::einvoice::facturx::mark(pdf).map_err(PrintError::Output),
        None => Ok(pdf),
    }
}

fn now_timestamp() -> Option<typst_pdf::Timestamp> {
    use chrono::{Datelike, Timelike};
    let now = chrono::Utc::now();
    let datetime = typst::foundations::Datetime::from_ymd_hms(
        now.year(),
        u8::try_from(now.month()).ok()?,
        u8::try_from(now.day()).ok()?,
        u8::try_from(now.hour()).ok()?,
        u8::try_from(now.minute()).ok()?,
        u8::try_from(now.second()).ok()?,
    )?;
    Some(typst_pdf::Timestamp::new_utc(datetime))
}

fn describe(error: TypstAsLibError, sources: &[(&str, &str)]) -> String {
    match error {
        TypstAsLibError::TypstSource(errors) => diagnostics(&errors, sources),
        other => other.to_string(),
    }
}

/// Typst's errors as a template's author needs them: file, line, message, hints.
fn diagnostics(errors: &[SourceDiagnostic], sources: &[(&str, &str)]) -> String {
    errors
        .iter()
        .map(|error| {
            let place = || {
                let (id, start) = match error.span.get() {
                    DiagSpanKind::Number { id, num, sub_range } => {
                        let file = id.vpath().get_without_slash();
                        let text = sources.iter().find(|(name, _)| *name == file)?.1;
                        // Spans number the nodes of a parse: the same text parses the same.
                        let source = typst::syntax::Source::new(id, text.to_string());
                        (id, source.range(num, sub_range)?.start)
                    }
                    DiagSpanKind::Range { id, range } => (id, range.start),
                    DiagSpanKind::Detached => return None,
                };
                let file = id.vpath().get_without_slash();
                let text = sources.iter().find(|(name, _)| *name == file)?.1;
                let line = text.get(..start)?.matches('\n').count() + 1;
                Some(format!("{file}, line {line}: "))
            };
            let mut message = format!("{}{}", place().unwrap_or_default(), error.message);
            for hint in &error.hints {
                message.push_str(&format!(" (hint: {})", hint.v));
            }
            message
        })
        .collect::<Vec<_>>()
        .join("; ")
}
