//! Importing invoices from CSV: one row per invoice line, the invoice's number on each row.
//! Every row is read and checked first; then every invoice is written in one transaction, under
//! the same services (and rules) as the editor and the API, and that transaction is rolled
//! back on any refusal or for a preview. So a file is imported whole or not at all, a preview
//! says exactly what the import would do, and the same file twice changes nothing.
//!
//! An invoice is matched by number: a new number creates an issued invoice; a known one is
//! updated when its lines or due date differ, its outstanding amount recomputed as the new total
//! less payments and credits. A new total below what was already paid and credited is refused
//! for that invoice: nothing is marked paid silently and no credit is lost.

use std::collections::BTreeMap;

use app::domain::{Currency, InvoiceKind, InvoiceStatus, Permission, parse_decimal};
use app::model::{CurrentUser, ImportPage, ImportReport, ImportedInvoice, InvoiceView};
use app::problem::{FieldProblem, Problem};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::invoices::NewInvoiceInput;
use super::lines::LineDraft;
use super::settlement::{EditRules, InvoiceChanges};
use super::{Caller, ServiceError, Services, load_invoice};

/// A file is at most this large (the API's body limit says the same).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// …and has at most this many rows.
const MAX_IMPORT_ROWS: usize = 20_000;

/// The columns, in any order; `due_date` and `discount_percent` may be left blank.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "number",
    "customer",
    "currency",
    "issue_date",
    "due_date",
    "description",
    "quantity",
    "unit_price",
    "discount_percent",
    "tax_rate",
];

/// One row, read.
struct Row {
    line: usize,
    number: String,
    customer: String,
    currency: Option<Currency>,
    issue_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    draft: LineDraft,
}

/// Errors on rows and columns: `rows[N].column`, N the file's line.
#[derive(Default)]
struct RowErrors(Vec<FieldProblem>);

impl RowErrors {
    fn add(&mut self, line: usize, column: Option<&str>, message: impl Into<String>) {
        let field = match column {
            Some(column) => format!("rows[{line}].{column}"),
            None => format!("rows[{line}]"),
        };
        self.0.push(FieldProblem {
            field,
            code: "validation_error".into(),
            message: message.into(),
        });
    }

    fn into_result(self) -> Result<(), ServiceError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let count = self.0.len();
        Err(ServiceError::Invalid(Problem {
            errors: self.0,
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

fn date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("{text} is not a date (YYYY-MM-DD)"))
}

/// Reads the file's rows, each error on its row and column.
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

fn read_rows(csv: &[u8], errors: &mut RowErrors) -> Vec<Row> {
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
    let position = |name: &str| headers.iter().position(|header| header == name);
    for header in headers.iter() {
        if !IMPORT_COLUMNS.contains(&header) {
            errors.add(1, Some(header), format!("Unknown column {header:?}"));
        }
    }
    let columns: Vec<Option<usize>> = IMPORT_COLUMNS.iter().map(|name| position(name)).collect();
    for (name, column) in IMPORT_COLUMNS.iter().zip(&columns) {
        if column.is_none() && !matches!(*name, "due_date" | "discount_percent") {
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
        let cell = |name: &str| -> &str {
            IMPORT_COLUMNS
                .iter()
                .position(|column| *column == name)
                .and_then(|at| columns[at])
                .and_then(|at| record.get(at))
                .unwrap_or("")
        };
        let mut required = |name: &str| -> String {
            let text = cell(name).to_string();
            if text.is_empty() {
                errors.add(line, Some(name), format!("The {name} is required"));
            }
            text
        };
        let number = required("number");
        let customer = required("customer");
        let description = required("description");
        let currency = match Currency::parse(cell("currency")) {
            Ok(currency) => Some(currency),
            Err(error) => {
                errors.add(line, Some("currency"), error.to_string());
                None
            }
        };
        let mut dated = |name: &str, required: bool| match date(cell(name)) {
            Ok(None) if required => {
                errors.add(line, Some(name), format!("The {name} is required"));
                None
            }
            Ok(day) => day,
            Err(message) => {
                errors.add(line, Some(name), message);
                None
            }
        };
        let issue_date = dated("issue_date", true);
        let due_date = dated("due_date", false);
        let mut decimal = |name: &str, blank: Option<Decimal>| {
            let text = cell(name);
            match (text.is_empty(), blank) {
                (true, Some(value)) => value,
                _ => parse_decimal(text).unwrap_or_else(|error| {
                    errors.add(line, Some(name), format!("{name}: {error}"));
                    Decimal::ZERO
                }),
            }
        };
        let draft = LineDraft {
            description,
            quantity: decimal("quantity", None),
            unit_price: decimal("unit_price", None),
            discount_percent: decimal("discount_percent", Some(Decimal::ZERO)),
            tax_rate: Some(decimal("tax_rate", None)),
            tax_category: None,
            ship_date: None,
        };
        rows.push(Row {
            line,
            number,
            customer,
            currency,
            issue_date,
            due_date,
            draft,
        });
    }
    rows
}

/// Rows grouped by invoice number, in the file's order; every row of an invoice must agree on
/// its customer, currency and dates.
fn group(rows: Vec<Row>, errors: &mut RowErrors) -> Vec<Vec<Row>> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        if let Some(first) = groups.get(&row.number).and_then(|rows| rows.first()) {
            let differs = [
                ("customer", first.customer != row.customer),
                ("currency", first.currency != row.currency),
                ("issue_date", first.issue_date != row.issue_date),
                ("due_date", first.due_date != row.due_date),
            ];
            for (column, different) in differs {
                if different {
                    errors.add(
                        row.line,
                        Some(column),
                        format!(
                            "Invoice {}'s rows disagree on the {column}: line {} says otherwise",
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

/// Whether an invoice already says what the rows say.
fn unchanged(invoice: &InvoiceView, customer_id: i64, rows: &[Row]) -> bool {
    let first = &rows[0];
    invoice.customer_id == customer_id
        && Some(invoice.currency) == first.currency
        && invoice.due_date == first.due_date
        && invoice.lines.len() == rows.len()
        && invoice.lines.iter().zip(rows).all(|(line, row)| {
            line.description == row.draft.description
                && line.quantity == row.draft.quantity
                && line.unit_price == row.draft.unit_price
                && line.discount_percent == row.draft.discount_percent
                && Some(line.tax_rate) == row.draft.tax_rate
        })
}

/// A service refusal on an invoice, put on the rows it came from: `lines[i].x` on the row of
/// line i, anything else on the invoice's first row.
fn refusal_on_rows(error: ServiceError, rows: &[Row], errors: &mut RowErrors) -> ServiceError {
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
        // A refusal of the invoice as a whole (its total) names its first row.
        let (line, column) = match path.segments() {
            [
                app::domain::PathSegment::Key(list),
                app::domain::PathSegment::Index(index),
                app::domain::PathSegment::Key(column),
            ] if list == "lines" => (
                rows.get(*index).map_or(first, |row| row.line),
                Some(column.clone()),
            ),
            [app::domain::PathSegment::Key(key)] if key == "lines" => (first, None),
            [app::domain::PathSegment::Key(key)] if key == "customer_id" => {
                (first, Some("customer".to_string()))
            }
            _ => (first, Some(field.field.clone())),
        };
        errors.add(line, column.as_deref(), field.message);
    }
    ServiceError::Rules(Vec::new())
}

impl Services {
    /// Imports invoices from a CSV file (administrators, credit managers), or previews the
    /// import when `dry_run`: the same checks and writes, rolled back.
    pub async fn import_invoices(
        &self,
        user: &CurrentUser,
        csv: &[u8],
        dry_run: bool,
    ) -> Result<ImportReport, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        if csv.len() > MAX_IMPORT_BYTES {
            let mut too_large = RowErrors::default();
            too_large.add(1, None, "A file is at most 5 MiB");
            too_large.into_result()?;
        }
        let mut errors = RowErrors::default();
        let rows = read_rows(csv, &mut errors);
        let groups = group(rows, &mut errors);
        if groups.is_empty() && errors.0.is_empty() {
            errors.add(1, None, "The file has no rows");
        }
        errors.into_result()?;
        let mut errors = RowErrors::default();
        let caller = Caller::User(user);
        let mut tx = self.storage.write().await?;
        let mut report = ImportReport {
            dry_run,
            created: 0,
            updated: 0,
            unchanged: 0,
            invoices: Vec::new(),
        };
        for rows in &groups {
            let first = &rows[0];
            let customers = tx.customer_ids_by_name(&first.customer).await?;
            let customer_id = match customers.as_slice() {
                [id] => *id,
                [] => {
                    errors.add(
                        first.line,
                        Some("customer"),
                        format!("No customer is named {:?}", first.customer),
                    );
                    continue;
                }
                _ => {
                    errors.add(
                        first.line,
                        Some("customer"),
                        format!(
                            "{} customers are named {:?}: rename one",
                            customers.len(),
                            first.customer
                        ),
                    );
                    continue;
                }
            };
            let (Some(currency), Some(issue_date)) = (first.currency, first.issue_date) else {
                continue;
            };
            let drafts: Vec<LineDraft> = rows.iter().map(|row| row.draft.clone()).collect();
            let existing = match tx.invoice_id_by_number(&first.number).await? {
                Some(id) => Some(load_invoice(&mut tx, id).await?),
                None => None,
            };
            let outcome = match &existing {
                Some(invoice) if unchanged(invoice, customer_id, rows) => {
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
                    continue;
                }
                Some(invoice) => {
                    let changes = InvoiceChanges {
                        customer_id: Some(customer_id),
                        currency: Some(currency),
                        due_date: Some(first.due_date),
                        lines: Some(drafts),
                    };
                    self.edit_invoice_in(&mut tx, caller, invoice.id, changes, EditRules::Import)
                        .await
                        .map(|updated| (updated, "updated"))
                }
                None => {
                    let input = NewInvoiceInput {
                        number: Some(first.number.clone()),
                        customer_id,
                        currency,
                        issue_date,
                        due_date: first.due_date,
                        kind: InvoiceKind::Standard,
                        status: InvoiceStatus::Pending,
                        related_invoice_id: None,
                        project: None,
                        lines: drafts,
                    };
                    self.create_invoice_in(&mut tx, caller, input)
                        .await
                        .map(|created| (created, "created"))
                }
            };
            match outcome {
                Ok((invoice, change)) => {
                    match change {
                        "created" => report.created += 1,
                        "updated" => report.updated += 1,
                        _ => report.unchanged += 1,
                    }
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
                }
                Err(error) => {
                    let error = refusal_on_rows(error, rows, &mut errors);
                    if !matches!(error, ServiceError::Rules(_)) {
                        return Err(error);
                    }
                }
            }
        }
        // Any refusal, or a preview: the transaction is dropped, so nothing stays.
        errors.into_result()?;
        if !dry_run {
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Keeps a file uploaded in the browser for its preview and import; answers its id.
    pub async fn upload_import(
        &self,
        user: &CurrentUser,
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
            .insert_import_upload(&name, content, &user.email, self.now())
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
        let preview = match self.import_invoices(user, &upload.content, true).await {
            Ok(report) => Ok(report),
            Err(error @ (ServiceError::Rules(_) | ServiceError::Invalid(_))) => {
                Err(Problem::from(error))
            }
            Err(other) => return Err(other),
        };
        Ok(ImportPage {
            id,
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
        let report = self.import_invoices(user, &upload.content, false).await?;
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
        let rows = read_rows(file.as_bytes(), &mut errors);
        assert!(
            errors.0.is_empty(),
            "{:?}",
            errors.0.iter().map(|e| &e.message).collect::<Vec<_>>()
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].number.as_str(), rows[0].customer.as_str()),
            ("INV-1", "Acme, Inc.")
        );
        assert_eq!(rows[0].draft.quantity, Decimal::from(2));
    }
}
