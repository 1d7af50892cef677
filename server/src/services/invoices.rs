use app::domain::{CreditNoteStatus, Permission, Role, RuleCode, Violation};
use app::domain::{Currency, InvoiceStatus, LineInput};
use app::model::{CurrentUser, InvoicePage, InvoiceView, PortalView};
use chrono::NaiveDate;

use chrono::Datelike;

use super::journal::Posting;
use super::lines::{LineDraft, content_record, resolve_lines};
use super::{Caller, Event, InvoiceFilter, ServiceError, Services, load_invoice, rule, views};
use crate::storage::{NewInvoice, Page, Tx};
use app::domain::timeline::EventData;

#[derive(Clone, Debug)]
pub struct NewInvoiceInput {
    /// Generated (`INV-YYYY-NNNNN`) when absent.
    pub number: Option<String>,
    pub customer_id: i64,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub kind: app::domain::InvoiceKind,
    pub status: InvoiceStatus,
    /// The invoice a correction invoice corrects.
    pub related_invoice_id: Option<i64>,
    pub project: Option<String>,
    pub lines: Vec<LineDraft>,
}

impl Services {
    /// A new invoice, `pending` or `draft`. A draft without a chosen number is numbered when
    /// it is issued, so drafts never use up numbers of the series. One with a chosen number
    /// was issued by another system and is marked imported.
    pub async fn create_invoice(
        &self,
        caller: Caller<'_>,
        input: NewInvoiceInput,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize_caller(caller, Permission::WriteInvoices)?;
        let mut tx = self.storage.write().await?;
        let invoice = self.create_invoice_in(&mut tx, caller, input).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// [`Services::create_invoice`] inside the caller's transaction (an import writes many).
    pub(super) async fn create_invoice_in(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        input: NewInvoiceInput,
    ) -> Result<InvoiceView, ServiceError> {
        if !matches!(input.status, InvoiceStatus::Pending | InvoiceStatus::Draft) {
            return Err(rule(
                RuleCode::ValidationError,
                "status",
                "A new invoice is \"pending\" or \"draft\"",
            ));
        }
        super::require_customer(tx, input.customer_id).await?;
        super::periods::require_open(tx, input.issue_date, "issue_date").await?;
        let mut drafts = input.lines;
        if let Some(corrected) = input.related_invoice_id
            && let Some(corrected) = tx.invoice(corrected).await?
        {
            let corrected = super::views::invoice(corrected);
            super::lines::inherit_revenue_accounts(&mut drafts, &corrected.lines);
        }
        let lines = resolve_lines(tx, input.customer_id, drafts).await?;
        let terms = InvoiceTerms {
            customer_id: input.customer_id,
            currency: input.currency,
            kind: input.kind,
            related_invoice_id: input.related_invoice_id,
            lines: &lines,
        };
        check_invoice_content(tx, &terms).await?;
        let chosen = input
            .number
            .map(|number| number.trim().to_string())
            .filter(|number| !number.is_empty());
        // A number chosen by the caller is another system's: creditdesk numbers what it issues
        // itself, in one series that follows time (CGI annexe II art. 242 nonies A, I-7°), so
        // an invoice that comes with its own number is marked imported, issued elsewhere.
        let imported = chosen.is_some();
        if !imported && input.status != InvoiceStatus::Draft {
            super::documents::require_issuer(tx).await?;
            super::documents::require_identified_buyer(tx, input.customer_id, &lines).await?;
        }
        let number = match chosen {
            Some(number) => {
                check_chosen_number(tx, &number).await?;
                number
            }
            None if input.status == InvoiceStatus::Draft => draft_placeholder(),
            None => {
                let year = input.issue_date.year();
                let (number, sequence) = next_free_invoice_number(tx, year).await?;
                check_follows_previous(tx, year, sequence, input.issue_date).await?;
                number
            }
        };
        let id = tx
            .insert_invoice(&NewInvoice {
                number: number.clone(),
                customer_id: input.customer_id,
                currency: input.currency,
                issue_date: input.issue_date,
                due_date: input.due_date,
                kind: input.kind,
                status: input.status,
                related_invoice_id: input.related_invoice_id,
                project: input.project,
                imported,
                content: content_record(&lines, input.currency)?,
                created_at: self.now(),
            })
            .await?;
        if number.starts_with(DRAFT_PREFIX) {
            tx.set_invoice_number(id, &format!("{DRAFT_PREFIX}{id}"))
                .await?;
        }
        self.record(tx, caller, Event::invoice(id, EventData::InvoiceCreated {}))
            .await?;
        let invoice = super::load_invoice(tx, id).await?;
        if invoice.status != InvoiceStatus::Draft {
            let document = crate::storage::SalesDocumentId::Invoice(id);
            super::journal::fix_book_rate(tx, super::journal::Booking::of_invoice(&invoice))
                .await?;
            if !imported {
                self.freeze_invoice_print(tx, &invoice).await?;
                super::invoice_seals::seal_invoice(tx, id).await?;
            }
            super::journal::fix_vat_on_payment(tx, document, &invoice.lines, invoice.currency)
                .await?;
            self.post_invoice(tx, &invoice, Posting::Forward, invoice.issue_date)
                .await?;
        }
        Ok(invoice)
    }

    /// What the invoice editor offers: every customer and the tax table.
    pub async fn invoice_editor_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<app::model::InvoiceEditorPage, ServiceError> {
        self.authorize(user, Permission::WriteInvoices)?;
        let customers = self.search_customers(user, customer_q, customer_id).await?;
        let mut tx = self.storage.read().await?;
        Ok(app::model::InvoiceEditorPage {
            customers,
            tax_table: tx.tax_table().await?,
            today: self.now().date_naive(),
        })
    }

    /// draft → pending; a draft without a number of its own is dated today (its due date moves
    /// with it) and takes the next number of this year.
    pub async fn issue_invoice(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, app::domain::InvoiceAction::Issue.permission())?;
        let mut tx = self.storage.write().await?;
        let invoice =
            super::load_invoice_for(&mut tx, id, app::domain::InvoiceAction::Issue).await?;
        if !invoice.imported {
            super::documents::require_issuer(&mut tx).await?;
            let lines: Vec<app::domain::LineInput> =
                invoice.lines.iter().map(|line| line.input()).collect();
            super::documents::require_identified_buyer(&mut tx, invoice.customer_id, &lines)
                .await?;
        }
        if invoice.number.starts_with(DRAFT_PREFIX) {
            // Numbered and dated today, as a credit note is when finalized (CGI annexe II art.
            // 242 nonies A, I-7°): the draft's dates move together, so its term stays.
            let today = self.today();
            super::periods::require_open(&mut tx, today, "issue_date").await?;
            let shift = today - invoice.issue_date;
            let due_date = invoice
                .due_date
                .map(|due| due.checked_add_signed(shift).unwrap_or(due));
            tx.set_invoice_dates(id, today, due_date).await?;
            let (number, _) = next_free_invoice_number(&mut tx, today.year()).await?;
            tx.set_invoice_number(id, &number).await?;
        }
        let mut balance = invoice.balance();
        balance.status = InvoiceStatus::Pending;
        self.write_invoice_balance(&mut tx, &invoice.balance(), &balance, Caller::User(user))
            .await?;
        let issued = super::load_invoice(&mut tx, id).await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::invoice(
                id,
                EventData::InvoiceIssued {
                    number: issued.number.clone(),
                },
            ),
        )
        .await?;
        let document = crate::storage::SalesDocumentId::Invoice(id);
        super::journal::fix_book_rate(&mut tx, super::journal::Booking::of_invoice(&issued))
            .await?;
        if !issued.imported {
            self.freeze_invoice_print(&mut tx, &issued).await?;
            super::invoice_seals::seal_invoice(&mut tx, id).await?;
        }
        super::journal::fix_vat_on_payment(&mut tx, document, &issued.lines, issued.currency)
            .await?;
        self.post_invoice(&mut tx, &issued, Posting::Forward, issued.issue_date)
            .await?;
        tx.commit().await?;
        Ok(issued)
    }

    /// One invoice; a portal user gets 404 for anything not its own or still a draft, so ids
    /// cannot be probed.
    pub async fn invoice(&self, user: &CurrentUser, id: i64) -> Result<InvoiceView, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let mut tx = self.storage.read().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        visible_to(user, invoice)
    }

    /// The invoice and the customer's available credit notes, read in one snapshot.
    pub async fn invoice_page(
        &self,
        user: &CurrentUser,
        id: i64,
        with_candidates: bool,
    ) -> Result<InvoicePage, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let mut tx = self.storage.read().await?;
        let invoice = load_invoice(&mut tx, id).await?;
        let invoice = visible_to(user, invoice)?;
        let candidates = if with_candidates && user.may(Permission::ReadInternalDetails) {
            tx.customer_credit_note_balances(invoice.customer_id, CreditNoteStatus::Available)
                .await?
                .into_iter()
                .map(views::link_candidate)
                .collect()
        } else {
            Vec::new()
        };
        let (timeline, timeline_total) = if user.may(Permission::ReadInternalDetails) {
            let (events, total) = tx
                .latest_events("invoice_id", id, app::model::TIMELINE_LIMIT)
                .await?;
            (events.into_iter().map(timeline_event).collect(), total)
        } else {
            (Vec::new(), 0)
        };
        Ok(InvoicePage {
            invoice,
            candidates,
            viewer: user.clone(),
            timeline,
            timeline_total,
            today: self.now().date_naive(),
        })
    }

    /// The portal: a customer user's own invoices (not drafts) and finalized credit notes, a
    /// page of each, from the keyset cursors `notes_after` and `invoices_after`.
    pub async fn portal(
        &self,
        user: &CurrentUser,
        notes_after: i64,
        invoices_after: i64,
    ) -> Result<PortalView, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        let (Role::Customer, Some(customer_id)) = (user.role, user.customer_id) else {
            return Err(ServiceError::Forbidden);
        };
        let mut tx = self.storage.read().await?;
        let customer_name = tx
            .customer_name(customer_id)
            .await?
            .ok_or(ServiceError::NotFound("The customer"))?;
        let filter = InvoiceFilter {
            customer_id: Some(customer_id),
            exclude_drafts: true,
            ..Default::default()
        };
        let mut invoices = tx
            .find_invoices(&filter, super::list_page(invoices_after))
            .await?;
        let invoices_next = super::next_cursor(&mut invoices, |invoice| invoice.id);
        let mut notes = tx
            .customer_credit_notes(customer_id, None, super::list_page(notes_after))
            .await?;
        // The cursor counts every note read; drafts are then left out of the page.
        let notes_next = super::next_cursor(&mut notes, |note| note.id);
        // Portal types only: staff comments and internal fields never reach a customer.
        Ok(PortalView {
            customer_name,
            invoices: invoices
                .into_iter()
                .map(|record| app::model::PortalInvoice::from(views::invoice(record)))
                .collect(),
            credit_notes: notes
                .into_iter()
                .filter(|note| app::domain::is_finalized(note.status))
                .map(|record| app::model::PortalCreditNote::from(views::credit_note(record)))
                .collect(),
            notes_next,
            invoices_next,
        })
    }
}

/// Staff see every invoice; a customer user only its own customer's non-draft invoices.
fn visible_to(user: &CurrentUser, invoice: InvoiceView) -> Result<InvoiceView, ServiceError> {
    let visible = user.role.is_internal()
        || (user.customer_id == Some(invoice.customer_id)
            && invoice.status != app::domain::InvoiceStatus::Draft);
    if visible {
        Ok(invoice)
    } else {
        Err(ServiceError::NotFound("The invoice"))
    }
}

/// What makes invoice lines unusable, each on its field: none at all, or a line that breaks
/// the domain's line rules. (Correction invoices carry negative amounts: any sign goes here.)
fn invoice_line_violations(lines: &[LineInput], currency: Currency) -> Vec<Violation> {
    if lines.is_empty() {
        return vec![Violation::new(
            RuleCode::ValidationError,
            Some("lines".into()),
            "An invoice needs at least one line",
        )];
    }
    app::domain::line_violations(lines, currency, app::domain::LineSigns::Any)
}

pub use app::model::TimelineEvent;

impl Services {
    /// Invoices matching `filter`, one page; a customer user sees only its own non-draft
    /// invoices, whatever the filter says.
    pub async fn find_invoices(
        &self,
        user: &CurrentUser,
        mut filter: crate::storage::InvoiceFilter,
        page: crate::storage::Page,
    ) -> Result<Vec<InvoiceView>, ServiceError> {
        self.authorize(user, Permission::ReadInvoices)?;
        if !user.role.is_internal() {
            filter.customer_id = Some(user.customer_id.unwrap_or(-1));
            filter.exclude_drafts = true;
        }
        let mut tx = self.storage.read().await?;
        let invoices = tx.find_invoices(&filter, page).await?;
        Ok(invoices.into_iter().map(views::invoice).collect())
    }

    /// One page of the invoice list (staff), and the customers its filter offers.
    pub async fn invoice_list_page(
        &self,
        user: &CurrentUser,
        query: app::model::InvoiceQuery,
    ) -> Result<app::model::InvoiceListPage, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let filter = crate::storage::InvoiceFilter {
            customer_id: query.customer_id,
            status: query.status,
            currency: query.currency,
            number_prefix: query.number_prefix,
            ..Default::default()
        };
        let mut tx = self.storage.read().await?;
        let mut invoices = tx
            .find_invoices(&filter, super::list_page(query.after))
            .await?;
        let next_after = super::next_cursor(&mut invoices, |invoice| invoice.id);
        drop(tx);
        let customers = self
            .search_customers(user, &query.customer_search, query.customer_id)
            .await?;
        Ok(app::model::InvoiceListPage {
            invoices: invoices.into_iter().map(views::invoice).collect(),
            next_after,
            customers,
            viewer: user.clone(),
        })
    }

    /// One page of an invoice's events, oldest first (staff only).
    pub async fn invoice_timeline(
        &self,
        user: &CurrentUser,
        id: i64,
        page: Page,
    ) -> Result<Vec<TimelineEvent>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        load_invoice(&mut tx, id).await?;
        let events = tx.events("invoice_id", id, page).await?;
        Ok(events.into_iter().map(timeline_event).collect())
    }
}

impl Services {
    pub async fn customer(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<app::model::CustomerView, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        tx.customer(id)
            .await?
            .map(views::customer)
            .ok_or(ServiceError::NotFound("The customer"))
    }

    pub async fn list_customers(
        &self,
        user: &CurrentUser,
        page: crate::storage::Page,
    ) -> Result<Vec<app::model::CustomerView>, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        let customers = tx.find_customers(page).await?;
        Ok(customers.into_iter().map(views::customer).collect())
    }
}

/// Events are stored with their data as JSON text.
pub fn timeline_event(event: crate::storage::EventRecord) -> TimelineEvent {
    {
        TimelineEvent {
            id: event.id,
            at: event.at,
            actor: event.actor,
            kind: event.kind,
            data: serde_json::from_str(&event.data).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// What an invoice says that its checks look at, on create and on every edit.
pub(super) struct InvoiceTerms<'a> {
    pub customer_id: i64,
    pub currency: Currency,
    pub kind: app::domain::InvoiceKind,
    pub related_invoice_id: Option<i64>,
    pub lines: &'a [LineInput],
}

/// The create-time checks, run again on every edit: usable lines, and a sign that fits the
/// kind. Standard and advance invoices are worth something; a correction invoice carries
/// negative amounts and names the invoice of the same customer and currency it corrects
/// (−100 EUR neutralizes a 100 EUR invoice).
pub(super) async fn check_invoice_content(
    tx: &mut Box<dyn Tx>,
    terms: &InvoiceTerms<'_>,
) -> Result<(), ServiceError> {
    use app::domain::InvoiceKind;
    let violations = invoice_line_violations(terms.lines, terms.currency);
    if !violations.is_empty() {
        return Err(violations.into());
    }
    let total = app::domain::document_totals(terms.lines, terms.currency).total;
    match terms.kind {
        InvoiceKind::Correction => {
            let Some(related_id) = terms.related_invoice_id else {
                return Err(rule(
                    RuleCode::ValidationError,
                    "related_invoice_id",
                    "A correction invoice names the invoice it corrects",
                ));
            };
            let related = super::related_invoice(tx, related_id).await?;
            if !app::domain::may_be_related(related.status, related.kind) {
                return Err(rule(
                    RuleCode::ValidationError,
                    "related_invoice_id",
                    format!(
                        "Invoice {} cannot be corrected: only issued standard and advance \
                         invoices can",
                        related.number
                    ),
                ));
            }
            if related.customer_id != terms.customer_id {
                return Err(rule(
                    RuleCode::CustomerMismatch,
                    "related_invoice_id",
                    "The corrected invoice belongs to another customer",
                ));
            }
            if related.currency != terms.currency {
                return Err(rule(
                    RuleCode::CurrencyMismatch,
                    "currency",
                    format!("The corrected invoice is in {}", related.currency),
                ));
            }
            if total >= rust_decimal::Decimal::ZERO {
                return Err(rule(
                    RuleCode::ValidationError,
                    "lines",
                    "A correction invoice carries negative amounts",
                ));
            }
        }
        InvoiceKind::Standard | InvoiceKind::Advance => {
            if total < rust_decimal::Decimal::ZERO {
                return Err(rule(
                    RuleCode::ValidationError,
                    "lines",
                    "The total is negative; use a correction invoice",
                ));
            }
        }
    }
    Ok(())
}

/// Drafts created without a number carry `DRAFT-<id>` until they are issued; the prefix is
/// reserved.
const DRAFT_PREFIX: &str = "DRAFT-";

fn draft_placeholder() -> String {
    // Replaced by `DRAFT-<id>` in the same transaction, once the id is known.
    format!("{DRAFT_PREFIX}new-{}", rand::random::<u64>())
}

/// A number chosen by hand: not the reserved draft prefix, not taken (409 `number_taken`).
async fn check_chosen_number(tx: &mut Box<dyn Tx>, number: &str) -> Result<(), ServiceError> {
    if number.len() > 64 {
        return Err(rule(
            RuleCode::ValidationError,
            "number",
            "An invoice number has at most 64 characters",
        ));
    }
    if number.to_ascii_uppercase().starts_with(DRAFT_PREFIX) {
        return Err(rule(
            RuleCode::ValidationError,
            "number",
            format!("Numbers starting with {DRAFT_PREFIX} are kept for drafts"),
        ));
    }
    if tx.invoice_number_taken(number).await? {
        return Err(rule(
            RuleCode::NumberTaken,
            "number",
            format!("Invoice {number} already exists"),
        ));
    }
    Ok(())
}

/// An invoice issued as number `sequence` of `year` with its own date follows the one numbered
/// before it in time (CGI annexe II art. 242 nonies A, I-7°: one chronological, continuous
/// series).
async fn check_follows_previous(
    tx: &mut Box<dyn Tx>,
    year: i32,
    sequence: i64,
    date: NaiveDate,
) -> Result<(), ServiceError> {
    if sequence <= 1 {
        return Ok(());
    }
    let previous = invoice_number(year, sequence - 1);
    if let Some(id) = tx.invoice_id_by_number(&previous).await? {
        let before = super::load_invoice(tx, id).await?;
        app::domain::check_chronological(&previous, before.issue_date, date, "issue_date")?;
    }
    Ok(())
}

/// Number `sequence` of `year`'s series: `INV-YYYY-NNNNN`.
fn invoice_number(year: i32, sequence: i64) -> String {
    format!("INV-{year:04}-{sequence:05}")
}

/// The next generated `INV-YYYY-NNNNN` that no invoice carries yet, and its sequence: numbers
/// chosen by hand inside the series are skipped, never collided with.
async fn next_free_invoice_number(
    tx: &mut Box<dyn Tx>,
    year: i32,
) -> Result<(String, i64), ServiceError> {
    loop {
        let sequence = tx.next_invoice_sequence(year).await?;
        let number = invoice_number(year, sequence);
        if !tx.invoice_number_taken(&number).await? {
            return Ok((number, sequence));
        }
    }
}

impl Services {
    /// The tax table (staff).
    pub async fn tax_table(
        &self,
        user: &CurrentUser,
    ) -> Result<app::domain::TaxTable, ServiceError> {
        self.authorize(user, Permission::ReadCustomers)?;
        let mut tx = self.storage.read().await?;
        Ok(tx.tax_table().await?)
    }

    /// The settings screen (administrators).
    pub async fn settings_page(
        &self,
        user: &CurrentUser,
        customer_q: &str,
    ) -> Result<app::model::SettingsPage, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let users = self.list_users(user).await?;
        let mut templates = Vec::new();
        for kind in app::model::DocumentKind::ALL {
            let (source, custom) = self.document_template(user, kind).await?;
            templates.push(app::model::TemplateSetting {
                kind,
                source,
                custom,
            });
        }
        let accounts = self.chart_of_accounts(user).await?;
        let closing = self.books_closing(user).await?;
        let exchange_rates = self.latest_exchange_rates(user).await?;
        let mut tx = self.storage.read().await?;
        Ok(app::model::SettingsPage {
            tax_table: tx.tax_table().await?,
            seller: tx.seller().await?.unwrap_or_default(),
            accounts,
            closing,
            exchange_rates,
            templates,
            users,
            customers: self.search_customers(user, customer_q, None).await?,
            viewer: user.clone(),
        })
    }

    /// Replaces the tax table (administrators). Each region and category once; rates 0–100 %.
    pub async fn set_tax_table(
        &self,
        user: &CurrentUser,
        table: app::domain::TaxTable,
    ) -> Result<app::domain::TaxTable, ServiceError> {
        self.authorize(user, Permission::ManageUsers)?;
        let violations = table.violations();
        if !violations.is_empty() {
            return Err(ServiceError::Rules(violations));
        }
        let mut tx = self.storage.write().await?;
        tx.replace_tax_table(&table).await?;
        let saved = tx.tax_table().await?;
        tx.commit().await?;
        Ok(saved)
    }
}
