//! Importing invoices or credit notes from CSV: one row per document line, the document's
//! number on each row. Every row is read and checked first; then every document is written in
//! one transaction, under the same services (and rules) as the editors and the API, and that
//! transaction is rolled back on any refusal or for a preview. So a file is imported whole or
//! not at all, a preview says exactly what the import would do, and the same file twice
//! changes nothing.
//!
//! An invoice is matched by number: a new number creates an issued invoice; a known one is
//! updated when its lines or due date differ, its outstanding amount recomputed as the new total
//! less payments and credits. A new total below what was already paid and credited is refused
//! for that invoice: nothing is marked paid silently and no credit is lost.
//!
//! A credit note is matched by the number it had in the system it comes from (kept as its
//! external reference), or by its own `CN-` number. A new one is that system's document: it is
//! made available at once under the source's number and date, marked imported, and takes no
//! number of this desk's gapless series (one credit, one avoir number). A draft or pending
//! note (notes imported before were drafts, finalized here) is updated; a finalized or
//! imported one is locked, and a row that would change it is refused.

use std::collections::{BTreeMap, BTreeSet};

use app::domain::{
    CreditNoteAction, Currency, InvoiceKind, InvoiceStatus, Permission, Reader, ReasonCategory,
    Violation, check_credit_note_action, is_finalized,
};
use app::model::{
    CreditNoteView, CurrentUser, ImportFormat, ImportKind, ImportPage, ImportReport,
    ImportedCreditNote, ImportedInvoice, InvoiceView,
};
use app::problem::{FieldProblem, Problem};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::credit_notes::{NewCreditNoteInput, NoteParticulars};
use super::invoices::NewInvoiceInput;
use super::lines::LineDraft;
use super::settlement::{CreditNoteChanges, EditRules, InvoiceChanges};
use super::{Caller, ServiceError, Services, load_invoice, load_note};
use crate::storage::Tx;

/// A file is at most this large (the API's body limit says the same).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// …and has at most this many rows.
const MAX_IMPORT_ROWS: usize = 20_000;
/// A document's number in the file (an invoice's number, a credit note's reference).
const MAX_NUMBER_CHARS: usize = 64;

/// One row, read: its document's number and cells, and its line.
struct Row {
    line: usize,
    number: String,
    /// The document's cells (customer, currency, dates…), each checked on this row.
    document: BTreeMap<&'static str, String>,
    draft: LineDraft,
    /// Whether the file has a `ship_date` column: without one, ship dates are not the file's to
    /// say, and a document keeps its own.
    ship_date_given: bool,
    /// Whether the file has a `vat_category` column; without, lines keep their category.
    vat_category_given: bool,
    /// Whether the file has a `nature` column; without, lines keep what they sell.
    nature_given: bool,
}

impl Row {
    fn cell(&self, column: &str) -> &str {
        self.document.get(column).map_or("", String::as_str)
    }

    /// A document cell that was checked when the row was read (blank: `None`).
    fn parsed<T>(
        &self,
        column: &str,
        parse: impl Fn(&str, &str) -> Result<Option<T>, Violation>,
    ) -> Option<T> {
        parse(column, self.cell(column)).ok().flatten()
    }

    fn text(&self, column: &str) -> Option<String> {
        Some(self.cell(column))
            .filter(|text| !text.is_empty())
            .map(str::to_string)
    }
}

/// Errors on rows and columns: `rows[N].column`, N the file's line; said in line order.
#[derive(Default)]
struct RowErrors(Vec<(usize, FieldProblem)>);

impl RowErrors {
    fn add(&mut self, line: usize, column: Option<&str>, message: impl Into<String>) {
        let field = match column {
            Some(column) => format!("rows[{line}].{column}"),
            None => format!("rows[{line}]"),
        };
        self.0.push((
            line,
            FieldProblem {
                field,
                code: "validation_error".into(),
                message: message.into(),
                says: None,
            },
        ));
    }

    /// A cell the shared reader refused (`violation`), named on its row and column.
    fn refused(&mut self, line: usize, column: &str, violation: Violation) {
        self.add(line, Some(column), violation.message);
        if let Some((_, problem)) = self.0.last_mut() {
            problem.says = violation.says;
        }
    }

    fn into_result(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let count = self.0.len();
        let mut errors = self.0;
        errors.sort_by_key(|(line, _)| *line);
        Err(ServiceError::Invalid(Problem {
            errors: errors.into_iter().map(|(_, problem)| problem).collect(),
            ..Problem::new(
                422,
                "import_invalid",
                format!(
                    "The file has {count} error{}; nothing was imported",
                    if count == 1 { "" } else { "s" }
                ),
            )
        }))
    }
}

fn date(column: &str, text: &str) -> Result<Option<NaiveDate>, Violation> {
    Reader::API.optional_date(column, text)
}

fn currency(column: &str, text: &str) -> Result<Option<Currency>, Violation> {
    let reader = Reader::API;
    reader
        .text(text)
        .map(|code| reader.currency(column, code))
        .transpose()
}

fn reason_category(column: &str, text: &str) -> Result<Option<ReasonCategory>, Violation> {
    if text.is_empty() {
        return Ok(None);
    }
    ReasonCategory::parse(text).map(Some).ok_or_else(|| {
        let names: Vec<&str> = ReasonCategory::ALL.iter().map(|c| c.as_str()).collect();
        Violation::invalid(
            column,
            format!("{text} is not a reason category ({})", names.join(", ")),
        )
    })
}

/// Checks a document cell of a row; `Err` says what is wrong with it.
fn check_document_cell(column: &str, text: &str) -> Result<(), Violation> {
    match column {
        "currency" => currency(column, text).map(drop),
        "issue_date" | "due_date" | "date" => date(column, text).map(drop),
        "reason_category" => reason_category(column, text).map(drop),
        _ => Ok(()),
    }
}

/// The file without a UTF-8 byte order mark (spreadsheets write one), and its delimiter: a
/// semicolon when the header has semicolons and no comma (spreadsheets in locales with a
/// decimal comma write that), else a comma.
fn dialect(csv: &[u8]) -> (&[u8], u8) {
    let csv = csv.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(csv);
    let header = csv.split(|byte| *byte == b'\n').next().unwrap_or_default();
    let delimiter = if header.contains(&b';') && !header.contains(&b',') {
        b';'
    } else {
        b','
    };
    (csv, delimiter)
}

/// Reads the file's rows, each error on its row and column.
fn read_rows(csv: &[u8], format: &ImportFormat, errors: &mut RowErrors) -> Vec<Row> {
    let (csv, delimiter) = dialect(csv);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(csv);
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => {
            errors.add(1, None, format!("The header row cannot be read: {error}"));
            return Vec::new();
        }
    };
    for header in headers.iter() {
        if !format.columns.contains(&header) {
            errors.add(1, Some(header), format!("Unknown column {header:?}"));
        }
    }
    let positions: BTreeMap<&'static str, usize> = format
        .columns
        .iter()
        .filter_map(|name| Some((*name, headers.iter().position(|header| header == *name)?)))
        .collect();
    for name in format.columns {
        if !positions.contains_key(name) && !format.optional.contains(name) {
            errors.add(1, Some(name), format!("The column {name} is missing"));
        }
    }
    if !errors.0.is_empty() {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if index >= MAX_IMPORT_ROWS {
            errors.add(
                line,
                None,
                format!("A file has at most {MAX_IMPORT_ROWS} rows"),
            );
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.add(line, None, format!("The row cannot be read: {error}"));
                continue;
            }
        };
        // PostgreSQL cannot store NUL: say so on the cell, and read the cell as blank.
        for (name, at) in &positions {
            if record.get(*at).is_some_and(app::domain::text::holds_nul) {
                errors.add(line, Some(name), app::domain::text::NUL_REFUSED);
            }
        }
        let cell = |name: &str| -> &str {
            positions
                .get(name)
                .and_then(|at| record.get(*at))
                .filter(|text| !app::domain::text::holds_nul(text))
                .unwrap_or("")
        };
        let mut required = |name: &str| -> String {
            let text = cell(name).to_string();
            if text.is_empty() && !format.optional.contains(&name) {
                errors.add(line, Some(name), format!("The {name} is required"));
            }
            text
        };
        let number = required("number");
        let description = required("description");
        let document: BTreeMap<&'static str, String> = format
            .document
            .iter()
            .map(|name| (*name, required(name)))
            .collect();
        if number.chars().count() > MAX_NUMBER_CHARS {
            errors.add(
                line,
                Some("number"),
                format!("A number has at most {MAX_NUMBER_CHARS} characters"),
            );
        }
        for (name, text) in &document {
            if !text.is_empty()
                && let Err(violation) = check_document_cell(name, text)
            {
                errors.refused(line, name, violation);
            }
        }
        let mut decimal = |name: &str, blank: Option<Decimal>| {
            let text = cell(name);
            match (text.is_empty(), blank) {
                (true, Some(value)) => value,
                _ => Reader::API.decimal(name, text).unwrap_or_else(|violation| {
                    errors.refused(line, name, violation);
                    Decimal::ZERO
                }),
            }
        };
        let quantity = decimal("quantity", None);
        let unit_price = decimal("unit_price", None);
        let discount_percent = decimal("discount_percent", Some(Decimal::ZERO));
        let tax_rate = Some(decimal("tax_rate", None));
        let ship_date = date("ship_date", cell("ship_date")).unwrap_or_else(|violation| {
            errors.refused(line, "ship_date", violation);
            None
        });
        // Why the line is taxed as it is; blank: its rate says (the rate is checked against it).
        let vat_category = listed(
            cell("vat_category"),
            app::domain::VatCategory::parse,
            &app::domain::VatCategory::ALL.map(|category| category.as_str()),
            "VAT category",
        )
        .unwrap_or_else(|message| {
            errors.add(line, Some("vat_category"), message);
            None
        });
        // What the line sells; blank: the seller's operations say.
        let nature = listed(
            cell("nature"),
            app::domain::LineNature::parse,
            &app::domain::LineNature::ALL.map(|nature| nature.as_str()),
            "line nature",
        )
        .unwrap_or_else(|message| {
            errors.add(line, Some("nature"), message);
            None
        });
        let vat_exemption_reason =
            Some(cell("vat_exemption_reason").to_string()).filter(|text| !text.is_empty());
        let draft = LineDraft {
            description,
            quantity,
            unit_price,
            discount_percent,
            tax_rate,
            tax_category: None,
            vat_category,
            vat_exemption_reason,
            ship_date,
            nature,
            revenue_account: None,
        };
        rows.push(Row {
            line,
            number,
            document,
            draft,
            ship_date_given: positions.contains_key("ship_date"),
            vat_category_given: positions.contains_key("vat_category"),
            nature_given: positions.contains_key("nature"),
        });
    }
    rows
}

/// The value of a list (`parse`) a cell names, none when it is blank, or why it names none:
/// the `what` it holds is one of `names`.
fn listed<T>(
    text: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
    what: &str,
) -> Result<Option<T>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    parse(text)
        .map(Some)
        .ok_or_else(|| format!("There is no {what} {text:?}: {}", one_of(names)))
}

/// The names a cell may hold, as a message lists them: "a, b or c".
fn one_of(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Rows grouped by document number, in the file's order; every row of a document must agree
/// on the document's cells.
fn group(rows: Vec<Row>, errors: &mut RowErrors) -> Vec<Vec<Row>> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        if let Some(first) = groups.get(&row.number).and_then(|rows| rows.first()) {
            for (column, text) in &row.document {
                if first.cell(column) != text {
                    errors.add(
                        row.line,
                        Some(column),
                        format!(
                            "{}'s rows disagree on the {column}: line {} says otherwise",
                            row.number, first.line
                        ),
                    );
                }
            }
        } else {
            order.push(row.number.clone());
        }
        groups.entry(row.number.clone()).or_default().push(row);
    }
    order
        .into_iter()
        .filter_map(|number| groups.remove(&number))
        .collect()
}

/// Whether each line of a document says what the rows say.
fn same_lines(lines: &[app::model::LineView], rows: &[Row]) -> bool {
    lines.len() == rows.len()
        && lines.iter().zip(rows).all(|(line, row)| {
            line.description == row.draft.description
                && line.quantity == row.draft.quantity
                && line.unit_price == row.draft.unit_price
                && line.discount_percent == row.draft.discount_percent
                && Some(line.tax_rate) == row.draft.tax_rate
                && (!row.ship_date_given || line.ship_date == row.draft.ship_date)
                && (!row.vat_category_given
                    || (line.vat_category
                        == row
                            .draft
                            .vat_category
                            .unwrap_or(app::domain::VatCategory::of_rate(line.tax_rate))
                        && (row.draft.vat_exemption_reason.is_none()
                            || line.vat_exemption_reason == row.draft.vat_exemption_reason)))
                && (!row.nature_given
                    || row.draft.nature.is_none_or(|nature| nature == line.nature))
        })
}

/// The lines the rows give a document; a file without ship dates keeps the document's own, line
/// by line.
fn drafts(rows: &[Row], current: Option<&[app::model::LineView]>) -> Vec<LineDraft> {
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let mut draft = row.draft.clone();
            let current = current.and_then(|lines| lines.get(index));
            if !row.ship_date_given {
                draft.ship_date = current.and_then(|line| line.ship_date);
            }
            // A line of the same rate keeps why it is taxed so when the file does not say.
            if !row.vat_category_given
                && let Some(line) = current.filter(|line| Some(line.tax_rate) == draft.tax_rate)
            {
                draft.vat_category = Some(line.vat_category);
                draft.vat_exemption_reason = line.vat_exemption_reason.clone();
                draft.revenue_account = line.revenue_account.clone();
            }
            if !row.nature_given
                && let Some(line) = current
            {
                draft.nature = Some(line.nature);
            }
            draft
        })
        .collect()
}

/// Whether an invoice already says what the rows say.
fn invoice_unchanged(invoice: &InvoiceView, customer_id: i64, rows: &[Row]) -> bool {
    let first = &rows[0];
    invoice.customer_id == customer_id
        && Some(invoice.currency) == first.parsed("currency", currency)
        && invoice.due_date == first.parsed("due_date", date)
        && same_lines(&invoice.lines, rows)
}

/// Whether a credit note already says what the rows say.
fn note_unchanged(
    note: &CreditNoteView,
    customer_id: i64,
    related_invoice_id: Option<i64>,
    rows: &[Row],
) -> bool {
    let first = &rows[0];
    // A finalized note is dated the day it was finalized here; the file keeps its own date.
    let same_date = is_finalized(note.status) || Some(note.date) == first.parsed("date", date);
    note.customer_id == customer_id
        && Some(note.currency) == first.parsed("currency", currency)
        && same_date
        && note.related_invoice_id == related_invoice_id
        && note.reason == first.text("reason")
        && note.reason_category == first.parsed("reason_category", reason_category)
        && note.charge.is_none()
        && same_lines(&note.lines, rows)
}

/// A service refusal on a document, put on the rows it came from: `lines[i].x` on the row of
/// line i, anything else on the document's first row.
fn refusal_on_rows(error: ServiceError, rows: &[Row], errors: &mut RowErrors) -> ServiceError {
    use app::domain::PathSegment::{Index, Key};
    let problem = match error {
        ServiceError::Rules(_) | ServiceError::Invalid(_) => Problem::from(error),
        other => return other,
    };
    let first = rows[0].line;
    if problem.errors.is_empty() {
        errors.add(first, None, problem.detail);
        return ServiceError::Rules(Vec::new());
    }
    for field in problem.errors {
        let path = app::domain::FieldPath::from(field.field.clone());
        // A refusal of the document as a whole (its total) names its first row.
        let (line, column) = match path.segments() {
            [Key(list), Index(index), Key(column)] if list == "lines" => (
                rows.get(*index).map_or(first, |row| row.line),
                Some(column.clone()),
            ),
            [Key(list), Index(index)] if list == "lines" => {
                (rows.get(*index).map_or(first, |row| row.line), None)
            }
            [Key(key)] if key == "lines" => (first, None),
            [Key(key)] if key == "customer_id" => (first, Some("customer".to_string())),
            [Key(key)] if key == "related_invoice_id" => (first, Some("invoice".to_string())),
            _ => (first, Some(field.field.clone())),
        };
        errors.add(line, column.as_deref(), field.message);
    }
    ServiceError::Rules(Vec::new())
}

/// Puts a service's answer for one document on the report, or its refusal on the rows;
/// answers an error that is not a refusal (storage), which ends the import.
fn settle<T>(
    outcome: Result<T, ServiceError>,
    rows: &[Row],
    errors: &mut RowErrors,
    report: impl FnOnce(T),
) -> Result<(), ServiceError> {
    match outcome {
        Ok(done) => {
            report(done);
            Ok(())
        }
        Err(error) => match refusal_on_rows(error, rows, errors) {
            ServiceError::Rules(_) => Ok(()),
            other => Err(other),
        },
    }
}

/// The one customer named on a document's first row, else the error on its row.
async fn customer_of(
    tx: &mut Box<dyn Tx>,
    first: &Row,
    errors: &mut RowErrors,
) -> Result<Option<i64>, ServiceError> {
    let name = first.cell("customer");
    let customers = tx.customer_ids_by_name(name).await?;
    match customers.as_slice() {
        [id] => return Ok(Some(*id)),
        [] => errors.add(
            first.line,
            Some("customer"),
            format!("No customer is named {name:?}"),
        ),
        _ => errors.add(
            first.line,
            Some("customer"),
            format!(
                "{} customers are named {name:?}: rename one",
                customers.len()
            ),
        ),
    }
    Ok(None)
}

/// What one import carries from document to document.
struct Run<'a> {
    caller: Caller<'a>,
    errors: RowErrors,
    report: ImportReport,
    /// The credit notes the file has named so far: each at most once.
    seen_notes: BTreeSet<i64>,
}

fn count(report: &mut ImportReport, change: &str) {
    match change {
        "created" => report.created += 1,
        "updated" => report.updated += 1,
        _ => report.unchanged += 1,
    }
}

impl Services {
    /// Imports invoices or credit notes from a CSV file (administrators, credit managers), or
    /// previews the import when `dry_run`: the same checks and writes, rolled back.
    pub async fn import(
        &self,
        user: &CurrentUser,
        kind: ImportKind,
        csv: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        if kind == ImportKind::CreditNotes {
            // An imported note is final at once, as one finalized here.
            self.authorize(user, Permission::WriteCreditNotes)?;
            self.authorize(user, Permission::FinalizeCreditNotes)?;
        }
        if csv.len() > MAX_IMPORT_BYTES {
            let mut too_large = RowErrors::default();
            too_large.add(1, None, "A file is at most 5 MiB");
            too_large.into_result()?;
        }
        let mut errors = RowErrors::default();
        let rows = read_rows(csv, kind.format(), &mut errors);
        let groups = group(rows, &mut errors);
        if groups.is_empty() && errors.0.is_empty() {
            errors.add(1, None, "The file has no rows");
        }
        errors.into_result()?;
        let mut run = Run {
            caller: Caller::User(user),
            errors: RowErrors::default(),
            report: ImportReport {
                dry_run,
                kind,
                created: 0,
                updated: 0,
                unchanged: 0,
                invoices: Vec::new(),
                credit_notes: Vec::new(),
            },
            seen_notes: BTreeSet::new(),
        };
        let all: Vec<&Vec<Row>> = groups.iter().collect();
        if dry_run {
            // Each part in a transaction of its own, rolled back: other writers go in between.
            for part in self.independent_parts(kind, &groups).await? {
                let mut tx = self.storage.write().await?;
                self.import_groups(&mut tx, &mut run, kind, &part).await?;
            }
            run.errors.into_result()?;
        } else {
            let mut tx = self.storage.write().await?;
            self.import_groups(&mut tx, &mut run, kind, &all).await?;
            // Any refusal: the transaction is dropped, so nothing stays.
            run.errors.into_result()?;
            tx.commit().await?;
        }
        run.report.invoices.sort_by_key(|invoice| invoice.line);
        run.report.credit_notes.sort_by_key(|note| note.line);
        Ok(run.report)
    }

    /// Writes the documents of `groups` in `tx`, each under the rules of the editors.
    async fn import_groups(
        &self,
        tx: &mut Box<dyn Tx>,
        run: &mut Run<'_>,
        kind: ImportKind,
        groups: &[&Vec<Row>],
    ) -> Result<(), ServiceError> {
        self.lock_documents(tx, kind, groups).await?;
        for rows in groups {
            let Some(customer_id) = customer_of(tx, &rows[0], &mut run.errors).await? else {
                continue;
            };
            match kind {
                ImportKind::Invoices => self.import_invoice(tx, run, customer_id, rows).await?,
                ImportKind::CreditNotes => {
                    self.import_credit_note(tx, run, customer_id, rows).await?
                }
            }
        }
        Ok(())
    }

    /// The file's documents in parts that cannot change what another part's preview says, in
    /// the file's order. A preview writes each part in a transaction of its own and rolls it
    /// back, so it never holds the database's writer (SQLite has one) for a whole file, and
    /// still says exactly what the import would do. Invoices are independent of each other. A
    /// credit note's outcome depends on the other notes of the invoices it relates to (the
    /// over-credit warning), the one the file names and the one it relates to now: notes that
    /// share an invoice, directly or through another note, go together.
    async fn independent_parts<'g>(
        &self,
        kind: ImportKind,
        groups: &'g [Vec<Row>],
    ) -> Result<Vec<Vec<&'g Vec<Row>>>, ServiceError> {
        if kind == ImportKind::Invoices {
            return Ok(groups.iter().map(|rows| vec![rows]).collect());
        }
        let mut tx = self.storage.read().await?;
        // Union-find over the groups; an invoice joins the groups that touch it.
        let mut parent: Vec<usize> = (0..groups.len()).collect();
        fn root(parent: &mut [usize], mut at: usize) -> usize {
            while parent[at] != at {
                parent[at] = parent[parent[at]];
                at = parent[at];
            }
            at
        }
        let mut first_toucher: BTreeMap<i64, usize> = BTreeMap::new();
        for (index, rows) in groups.iter().enumerate() {
            for invoice in self.invoices_touched(&mut tx, &rows[0]).await? {
                match first_toucher.get(&invoice) {
                    Some(&other) => {
                        let (a, b) = (root(&mut parent, index), root(&mut parent, other));
                        parent[a.max(b)] = a.min(b);
                    }
                    None => {
                        first_toucher.insert(invoice, index);
                    }
                }
            }
        }
        let mut parts: BTreeMap<usize, Vec<&'g Vec<Row>>> = BTreeMap::new();
        for (index, rows) in groups.iter().enumerate() {
            parts
                .entry(root(&mut parent, index))
                .or_default()
                .push(rows);
        }
        Ok(parts.into_values().collect())
    }

    /// The invoices a credit note's rows touch: the one the file names, and the one the note
    /// (if it exists) relates to now.
    async fn invoices_touched(
        &self,
        tx: &mut Box<dyn Tx>,
        first: &Row,
    ) -> Result<Vec<i64>, ServiceError> {
        let mut invoices = Vec::new();
        if let Some(number) = first.text("invoice") {
            invoices.extend(tx.invoice_id_by_number(&number).await?);
        }
        if let Some(id) = tx.credit_note_id_by_number(&first.number).await? {
            invoices.extend(tx.credit_note_related_invoice(id).await?.flatten());
        }
        Ok(invoices)
    }

    /// Locks every existing row the file may change before any is read to be changed, as
    /// every transaction does: invoices first, then credit notes, each in id order. A file
    /// touches many documents in one transaction; taking their locks as it meets them could
    /// wait on a link that waits on the import.
    async fn lock_documents(
        &self,
        tx: &mut Box<dyn Tx>,
        kind: ImportKind,
        groups: &[&Vec<Row>],
    ) -> Result<(), ServiceError> {
        let mut invoices = BTreeSet::new();
        let mut notes = BTreeSet::new();
        for rows in groups {
            let first = &rows[0];
            match kind {
                ImportKind::Invoices => {
                    invoices.extend(tx.invoice_id_by_number(&first.number).await?);
                }
                ImportKind::CreditNotes => {
                    invoices.extend(self.invoices_touched(tx, first).await?);
                    notes.extend(tx.credit_note_id_by_number(&first.number).await?);
                }
            }
        }
        for id in invoices {
            tx.invoice(id).await?;
        }
        if !notes.is_empty() {
            let ids: Vec<i64> = notes.into_iter().collect();
            tx.credit_notes(&ids).await?;
        }
        Ok(())
    }

    /// Creates, updates or leaves one invoice of the file.
    async fn import_invoice(
        &self,
        tx: &mut Box<dyn Tx>,
        run: &mut Run<'_>,
        customer_id: i64,
        rows: &[Row],
    ) -> Result<(), ServiceError> {
        let Run {
            caller,
            errors,
            report,
            ..
        } = run;
        let caller = *caller;
        let first = &rows[0];
        let (Some(currency), Some(issue_date)) = (
            first.parsed("currency", currency),
            first.parsed("issue_date", date),
        ) else {
            return Ok(());
        };
        let due_date = first.parsed("due_date", date);
        let existing = match tx.invoice_id_by_number(&first.number).await? {
            Some(id) => Some(load_invoice(tx, id).await?),
            None => None,
        };
        let drafts = drafts(rows, existing.as_ref().map(|invoice| &invoice.lines[..]));
        let outcome = match &existing {
            Some(invoice) if invoice_unchanged(invoice, customer_id, rows) => {
                Ok((invoice.clone(), "unchanged"))
            }
            Some(invoice) if invoice.issue_date != issue_date => {
                errors.add(
                    first.line,
                    Some("issue_date"),
                    format!(
                        "Invoice {} was issued on {}: an import does not change the issue date",
                        first.number, invoice.issue_date
                    ),
                );
                return Ok(());
            }
            Some(invoice) => {
                let changes = InvoiceChanges {
                    customer_id: Some(customer_id),
                    currency: Some(currency),
                    due_date: Some(due_date),
                    lines: Some(drafts),
                };
                self.edit_invoice_in(tx, caller, invoice.id, changes, EditRules::Import)
                    .await
                    .map(|updated| (updated, "updated"))
            }
            None => {
                let input = NewInvoiceInput {
                    number: Some(first.number.clone()),
                    customer_id,
                    currency,
                    issue_date,
                    due_date,
                    kind: InvoiceKind::Standard,
                    status: InvoiceStatus::Pending,
                    related_invoice_id: None,
                    project: None,
                    lines: drafts,
                };
                self.create_invoice_in(tx, caller, input)
                    .await
                    .map(|created| (created, "created"))
            }
        };
        settle(outcome, rows, errors, |(invoice, change)| {
            count(report, change);
            report.invoices.push(ImportedInvoice {
                line: first.line,
                number: invoice.number.clone(),
                change: change.to_string(),
                currency: invoice.currency,
                previous_total: existing.as_ref().map(|before| before.total),
                total: invoice.total,
                outstanding: invoice.outstanding(),
                status: invoice.status,
            });
        })
    }

    /// Creates (available under the source's number), updates (a draft or pending note) or
    /// leaves one credit note of the file; a finalized note that the rows would change is
    /// refused.
    async fn import_credit_note(
        &self,
        tx: &mut Box<dyn Tx>,
        run: &mut Run<'_>,
        customer_id: i64,
        rows: &[Row],
    ) -> Result<(), ServiceError> {
        let Run {
            caller,
            errors,
            report,
            seen_notes,
        } = run;
        let caller = *caller;
        let first = &rows[0];
        let (Some(currency), Some(note_date)) = (
            first.parsed("currency", currency),
            first.parsed("date", date),
        ) else {
            return Ok(());
        };
        let related_invoice_id = match first.text("invoice") {
            None => None,
            Some(number) => match tx.invoice_id_by_number(&number).await? {
                Some(id) => Some(id),
                None => {
                    errors.add(
                        first.line,
                        Some("invoice"),
                        format!("No invoice is numbered {number:?}"),
                    );
                    return Ok(());
                }
            },
        };
        let category = first.parsed("reason_category", reason_category);
        let existing = match tx.credit_note_id_by_number(&first.number).await? {
            Some(id) => Some(load_note(tx, id).await?),
            None => None,
        };
        let drafts = drafts(rows, existing.as_ref().map(|note| &note.lines[..]));
        if let Some(note) = &existing {
            // A note's number and reference each name one note: a file that names one twice,
            // or another customer's, is mistaken, and is not allowed to move it.
            if !seen_notes.insert(note.id) {
                errors.add(
                    first.line,
                    Some("number"),
                    format!(
                        "{} is credit note {} again: another row of the file names it",
                        first.number,
                        note.display_number()
                    ),
                );
                return Ok(());
            }
            if note.customer_id != customer_id {
                errors.add(
                    first.line,
                    Some("customer"),
                    format!(
                        "{} is credit note {} of {}: an import does not move a note to another customer",
                        first.number,
                        note.display_number(),
                        note.customer_name
                    ),
                );
                return Ok(());
            }
        }
        let outcome = match &existing {
            Some(note) if note_unchanged(note, customer_id, related_invoice_id, rows) => {
                Ok((note.clone(), "unchanged", None))
            }
            Some(note) => {
                match check_credit_note_action(note.status, note.settled(), CreditNoteAction::Edit)
                {
                    Err(refusal) => {
                        errors.add(
                            first.line,
                            None,
                            format!(
                                "Credit note {}: {} (issue another credit note for the difference)",
                                note.display_number(),
                                refusal.message
                            ),
                        );
                        return Ok(());
                    }
                    Ok(()) => {
                        let changes = CreditNoteChanges {
                            customer_id: Some(customer_id),
                            currency: Some(currency),
                            related_invoice_id: Some(related_invoice_id),
                            date: Some(note_date),
                            reason: Some(first.text("reason")),
                            reason_category: Some(category),
                            billing_address: None,
                            shipping_address: None,
                            lines: Some(drafts),
                            charge: None,
                        };
                        match self.edit_credit_note_in(tx, caller, note.id, changes).await {
                            Ok(updated) => {
                                let over_credit = self.over_credit_of(tx, &updated).await?;
                                Ok((updated, "updated", over_credit))
                            }
                            Err(error) => Err(error),
                        }
                    }
                }
            }
            None => {
                let input = NewCreditNoteInput {
                    customer_id,
                    currency,
                    date: note_date,
                    reason: first.text("reason"),
                    related_invoice_id,
                    lines: drafts,
                    charge: None,
                    particulars: NoteParticulars {
                        reason_category: category,
                        external_reference: Some(first.number.clone()),
                        ..Default::default()
                    },
                };
                match self.create_credit_note_in(tx, caller, input).await {
                    Ok(created) => self
                        .accept_imported_credit_note_in(tx, caller, created.note.id, &first.number)
                        .await
                        .map(|note| (note, "created", created.over_credit)),
                    Err(error) => Err(error),
                }
            }
        };
        settle(outcome, rows, errors, |(note, change, over_credit)| {
            count(report, change);
            report.credit_notes.push(ImportedCreditNote {
                line: first.line,
                number: first.number.clone(),
                id: (!(report.dry_run && change == "created")).then_some(note.id),
                credit_note_number: note.number.clone(),
                change: change.to_string(),
                currency: note.currency,
                previous_total: existing.as_ref().map(|before| before.total),
                total: note.total,
                related_invoice_number: note.related_invoice_number.clone(),
                status: note.status,
                warnings: over_credit
                    .iter()
                    .map(app::domain::OverCredit::sentence)
                    .collect(),
                over_credit,
            });
        })
    }

    /// Keeps a file uploaded in the browser for its preview and import; answers its id.
    pub async fn upload_import(
        &self,
        user: &CurrentUser,
        kind: ImportKind,
        file_name: &str,
        content: &[u8],
    ) -> Result<i64, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        if content.is_empty() {
            return Err(ServiceError::Rules(vec![app::domain::Violation::new(
                app::domain::RuleCode::ValidationError,
                Some("file".into()),
                "Choose a CSV file",
            )]));
        }
        let name: String = file_name.chars().take(200).collect();
        let name = if name.trim().is_empty() {
            "import.csv".to_string()
        } else {
            name
        };
        let mut tx = self.storage.write().await?;
        let id = tx
            .insert_import_upload(kind, &name, content, &user.email, self.now())
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An uploaded file and what importing it does now: a preview that writes nothing.
    pub async fn import_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<ImportPage, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        let upload = self.uploaded(id).await?;
        let preview = match self.import(user, upload.kind, &upload.content, true).await {
            Ok(report) => Ok(report),
            Err(error @ (ServiceError::Rules(_) | ServiceError::Invalid(_))) => {
                Err(Problem::from(error))
            }
            Err(other) => return Err(other),
        };
        Ok(ImportPage {
            id,
            kind: upload.kind,
            file_name: upload.file_name,
            uploaded_by: upload.uploaded_by,
            uploaded_at: upload.uploaded_at,
            applied_at: upload.applied_at,
            preview,
            viewer: user.clone(),
        })
    }

    /// Imports an uploaded file and records when. Importing it again changes nothing.
    pub async fn apply_import(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<ImportReport, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        let upload = self.uploaded(id).await?;
        let report = self
            .import(user, upload.kind, &upload.content, false)
            .await?;
        let mut tx = self.storage.write().await?;
        tx.mark_import_applied(id, self.now()).await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn uploaded(&self, id: i64) -> Result<crate::storage::ImportUpload, ServiceError> {
        let mut tx = self.storage.read().await?;
        tx.import_upload(id)
            .await?
            .ok_or(ServiceError::NotFound("The uploaded file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_files_read_like_plain_ones() {
        let plain = "number,customer\nINV-1,Acme\n";
        assert_eq!(dialect(plain.as_bytes()), (plain.as_bytes(), b','));
        let excel = b"\xEF\xBB\xBFnumber;customer\nINV-1;Acme, Inc.\n";
        let (body, delimiter) = dialect(excel);
        assert_eq!((body.first(), delimiter), (Some(&b'n'), b';'));
        // A comma in the header wins: commas may sit in quoted texts of later rows only.
        assert_eq!(dialect(b"number,customer;x\n").1, b',');
    }

    #[test]
    fn a_semicolon_file_with_a_byte_order_mark_reads_every_column() {
        let file = "\u{feff}number;customer;currency;issue_date;due_date;description;quantity;\
                    unit_price;discount_percent;tax_rate\n\
                    INV-1;Acme, Inc.;EUR;2026-03-01;;Chairs;2;100.00;;20\n";
        let mut errors = RowErrors::default();
        let rows = read_rows(file.as_bytes(), ImportKind::Invoices.format(), &mut errors);
        assert!(
            errors.0.is_empty(),
            "{:?}",
            errors.0.iter().map(|(_, e)| &e.message).collect::<Vec<_>>()
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].number.as_str(), rows[0].cell("customer")),
            ("INV-1", "Acme, Inc.")
        );
        assert_eq!(rows[0].draft.quantity, Decimal::from(2));
    }
}
