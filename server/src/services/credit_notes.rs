use app::domain::{
    Charge, CreditContent, CreditNoteAction, CreditNoteNumber, CreditNoteStatus, Currency,
    LineInput, OverCredit, Permission, RelatedInvoice, RuleCode, check_credit_note_action,
    check_related_invoice, counts_as_credit, is_finalized, over_credit_warning,
};
use app::model::{
    Address, CreditFromInvoicePage, CreditNoteListPage, CreditNotePage, CreditNoteQuery,
    CreditNoteView, CurrentUser, InvoiceView, NewCreditNotePage,
};
use chrono::{Datelike, NaiveDate};

use super::journal::Posting;
use super::lines::{LineDraft, credit_content_record, resolve_lines};
use super::{Caller, Event, ServiceError, Services, load_note, load_note_for, rule, views};
use crate::storage::{CreditNoteFilter, NewCreditNote, Page, Tx};
use app::domain::timeline::EventData;

#[derive(Clone, Debug)]
pub struct NewCreditNoteInput {
    pub customer_id: i64,
    pub currency: Currency,
    pub date: NaiveDate,
    pub reason: Option<String>,
    pub related_invoice_id: Option<i64>,
    pub lines: Vec<LineDraft>,
    pub charge: Option<Charge>,
    pub particulars: NoteParticulars,
}

/// What a credit note says beside its amounts: why (a category) and where it goes. An address
/// left out is the customer's.
#[derive(Clone, Debug, Default)]
pub struct NoteParticulars {
    pub reason_category: Option<app::domain::ReasonCategory>,
    pub billing_address: Option<Address>,
    pub shipping_address: Option<Address>,
    /// The number the note had in the system it is imported from.
    pub external_reference: Option<String>,
}

/// A created credit note and the warning that did not block it.
#[derive(Clone, Debug)]
pub struct CreatedCreditNote {
    pub note: CreditNoteView,
    pub over_credit: Option<OverCredit>,
}

impl CreatedCreditNote {
    /// What did not block it, in the API's English.
    pub fn warnings(&self) -> Vec<String> {
        self.over_credit.iter().map(OverCredit::sentence).collect()
    }
}

/// What the credit-note rules need to know of a related invoice.
pub(super) fn related(invoice: &InvoiceView) -> RelatedInvoice {
    RelatedInvoice {
        customer_id: invoice.customer_id,
        currency: invoice.currency,
        issue_date: invoice.issue_date,
        status: invoice.status,
        kind: invoice.kind,
    }
}

/// Staff see every credit note; a customer user only its own customer's finalized ones.
fn visible_to(user: &CurrentUser, note: CreditNoteView) -> Result<CreditNoteView, ServiceError> {
    let visible = user.role.is_internal()
        || (user.customer_id == Some(note.customer_id) && is_finalized(note.status));
    if visible {
        Ok(note)
    } else {
        Err(ServiceError::NotFound("The credit note"))
    }
}

/// The statuses whose notes count in what an invoice has been credited.
fn credit_counting_statuses() -> Vec<CreditNoteStatus> {
    CreditNoteStatus::ALL
        .iter()
        .copied()
        .filter(|status| counts_as_credit(*status))
        .collect()
}

/// The warning, if any, for a credit of `total` that takes what the invoice's credit notes
/// (but `excluding`, and cancelled ones) credit above the invoice's total.
async fn over_credit(
    tx: &mut Box<dyn Tx>,
    invoice: &InvoiceView,
    total: rust_decimal::Decimal,
    excluding: Option<i64>,
) -> Result<Option<OverCredit>, ServiceError> {
    let (credited_before_minor, _) = tx
        .credited_total(invoice.id, &credit_counting_statuses(), excluding)
        .await?;
    let credited_before = invoice.currency.from_minor(credited_before_minor);
    Ok(over_credit_warning(
        invoice.total,
        credited_before,
        total,
        invoice.currency,
    ))
}

impl Services {
    /// The over-credit warning of a saved note, counting the invoice's other notes.
    pub(super) async fn over_credit_of(
        &self,
        tx: &mut Box<dyn Tx>,
        note: &CreditNoteView,
    ) -> Result<Option<OverCredit>, ServiceError> {
        let Some(invoice_id) = note.related_invoice_id else {
            return Ok(None);
        };
        let invoice = super::related_invoice(tx, invoice_id).await?;
        over_credit(tx, &invoice, note.total, Some(note.id)).await
    }

    /// A new draft credit note: lines or a standalone charge, optionally for an invoice of
    /// the same customer dated no later than the note. Crediting more than the invoice's total
    /// across its notes is allowed, with a warning naming what was credited before.
    pub async fn create_credit_note(
        &self,
        caller: Caller<'_>,
        input: NewCreditNoteInput,
    ) -> Result<CreatedCreditNote, ServiceError> {
        self.authorize_caller(caller, Permission::WriteCreditNotes)?;
        let mut tx = self.storage.write().await?;
        let created = self.create_credit_note_in(&mut tx, caller, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// [`Self::create_credit_note`] inside the caller's transaction (an import's).
    pub(super) async fn create_credit_note_in(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        input: NewCreditNoteInput,
    ) -> Result<CreatedCreditNote, ServiceError> {
        self.authorize_caller(caller, Permission::WriteCreditNotes)?;
        // Lock order: the related invoice (an invoice) before anything else.
        let invoice = match input.related_invoice_id {
            Some(invoice_id) => Some(super::related_invoice(tx, invoice_id).await?),
            None => None,
        };
        let customer = super::load_customer(tx, input.customer_id).await?;
        super::periods::require_open(tx, input.date, "date").await?;
        let mut drafts = input.lines;
        if let Some(invoice) = &invoice {
            super::lines::inherit_revenue_accounts(&mut drafts, &invoice.lines);
        }
        let lines = resolve_lines(tx, input.customer_id, drafts).await?;
        let content = CreditContent::from_parts(lines, input.charge)?;
        let violations = content.validate(input.currency);
        if !violations.is_empty() {
            return Err(violations.into());
        }
        let mut over_credit_found = None;
        if let Some(invoice) = &invoice {
            check_related_invoice(
                input.customer_id,
                input.currency,
                input.date,
                &related(invoice),
            )?;
            let total = content.totals(input.currency).total;
            over_credit_found = over_credit(tx, invoice, total, None).await?;
        }
        let (stored_content, charge) = credit_content_record(&content, input.currency)?;
        let id = tx
            .insert_credit_note(&NewCreditNote {
                // A credit of an invoice carries the invoice's project.
                project: invoice.as_ref().and_then(|invoice| invoice.project.clone()),
                customer_id: input.customer_id,
                currency: input.currency,
                date: input.date,
                status: CreditNoteStatus::Draft,
                reason: input.reason,
                reason_category: input.particulars.reason_category,
                billing_address: input
                    .particulars
                    .billing_address
                    .unwrap_or(customer.billing_address),
                shipping_address: input
                    .particulars
                    .shipping_address
                    .unwrap_or(customer.shipping_address),
                related_invoice_id: input.related_invoice_id,
                external_reference: input.particulars.external_reference,
                content: stored_content,
                charge,
                created_at: self.now(),
            })
            .await?;
        self.record(
            tx,
            caller,
            Event::both(
                input.related_invoice_id,
                Some(id),
                EventData::CreditNoteCreated {
                    warnings: over_credit_found.iter().map(OverCredit::sentence).collect(),
                },
            ),
        )
        .await?;
        let note = load_note(tx, id).await?;
        Ok(CreatedCreditNote {
            note,
            over_credit: over_credit_found,
        })
    }

    pub async fn credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, Permission::ReadCreditNotes)?;
        let mut tx = self.storage.read().await?;
        visible_to(user, load_note(&mut tx, id).await?)
    }

    /// Credit notes matching `filter`, one page; a customer user sees only its own finalized
    /// notes, whatever the filter says.
    pub async fn list_credit_notes(
        &self,
        user: &CurrentUser,
        mut filter: CreditNoteFilter,
        page: Page,
    ) -> Result<Vec<CreditNoteView>, ServiceError> {
        self.authorize(user, Permission::ReadCreditNotes)?;
        if !user.role.is_internal() {
            filter.customer_id = Some(user.customer_id.unwrap_or(-1));
            filter.finalized_only = true;
        }
        let mut tx = self.storage.read().await?;
        let notes = tx.find_credit_notes(&filter, page).await?;
        Ok(notes.into_iter().map(views::credit_note).collect())
    }

    /// draft → pending_approval.
    pub async fn submit_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Submit.permission())?;
        let mut tx = self.storage.write().await?;
        let note = load_note_for(&mut tx, id, CreditNoteAction::Submit).await?;
        self.change_note_status(
            &mut tx,
            Caller::User(user),
            &note,
            CreditNoteStatus::PendingApproval,
            None,
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// pending_approval → draft, with the approver's reason (on the note's timeline).
    pub async fn reject_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        reason: &str,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Reject.permission())?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(rule(
                RuleCode::ValidationError,
                "reason",
                "Say why the credit note is rejected",
            ));
        }
        let mut tx = self.storage.write().await?;
        let note = load_note_for(&mut tx, id, CreditNoteAction::Reject).await?;
        tx.set_credit_note_status(id, CreditNoteStatus::Draft)
            .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(
                id,
                EventData::CreditNoteRejected {
                    from: note.status.into(),
                    to: CreditNoteStatus::Draft.into(),
                    reason: reason.to_string(),
                },
            ),
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Numbers a draft (or pending) credit note with the next gapless `CN-YYYY-NNNNN` of the
    /// current year, dates it today and makes it available; from then on it is locked.
    pub async fn finalize_credit_note(
        &self,
        caller: Caller<'_>,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize_caller(caller, CreditNoteAction::Finalize.permission())?;
        let mut tx = self.storage.write().await?;
        let note = self.finalize_credit_note_in(&mut tx, caller, id).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// [`Services::finalize_credit_note`] inside the caller's transaction.
    pub(super) async fn finalize_credit_note_in(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        let note = load_note(tx, id).await?;
        check_credit_note_action(
            note.status,
            app::domain::Settled::NONE,
            CreditNoteAction::Finalize,
        )?;
        super::documents::require_issuer(tx).await?;
        let lines: Vec<app::domain::LineInput> =
            note.lines.iter().map(|line| line.input()).collect();
        super::documents::require_identified_buyer(tx, note.customer_id, &lines).await?;
        app::domain::check_vat_credit_names_invoice(
            note.tax_total,
            note.related_invoice_id.is_some(),
        )?;
        // Numbered and dated now: the series follows time, whatever date the draft had.
        let date = self.today();
        if let Some(invoice_id) = note.related_invoice_id {
            let invoice = super::load_invoice(tx, invoice_id).await?;
            app::domain::check_dated_after_invoice(date, invoice.issue_date)?;
        }
        let booking = super::journal::Booking {
            date,
            ..super::journal::Booking::of_note(&note)
        };
        super::journal::fix_book_rate(tx, booking).await?;
        let year = date.year();
        let sequence = tx.next_credit_note_sequence(year).await?;
        let number = CreditNoteNumber::new(year, sequence)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        if let Some(previous) = number.previous() {
            let previous = previous.to_string();
            if let Some(previous_date) = tx.numbered_credit_note_date(&previous).await? {
                app::domain::check_chronological(&previous, previous_date, date, "date")?;
            }
        }
        let number = number.to_string();
        tx.finalize_credit_note(id, &number, date, self.now(), false)
            .await?;
        // What it prints is frozen first: the seal covers it.
        let finalized = load_note(tx, id).await?;
        self.freeze_credit_note_print(tx, &finalized).await?;
        super::seals::seal_credit_note(tx, id).await?;
        self.record(
            tx,
            caller,
            Event::both(
                note.related_invoice_id,
                Some(id),
                EventData::CreditNoteFinalized {
                    number: number.to_string(),
                    imported: false,
                },
            ),
        )
        .await?;
        self.book_final_note(tx, id).await
    }

    /// Books a note just made final (finalized here, or imported): what of its VAT waits for
    /// payment is fixed, and its entry posted, on its date.
    async fn book_final_note(
        &self,
        tx: &mut Box<dyn Tx>,
        id: i64,
    ) -> Result<CreditNoteView, ServiceError> {
        let note = load_note(tx, id).await?;
        let document = crate::storage::SalesDocumentId::CreditNote(id);
        super::journal::fix_vat_on_payment(tx, document, &note.lines, note.currency).await?;
        self.post_credit_note(tx, &note, Posting::Forward, note.date)
            .await?;
        Ok(note)
    }

    /// Makes a credit note imported from another system available under that system's
    /// `number`, on its own date. It is that system's document (CGI annexe II art. 242 nonies
    /// A, I-7°: one continuous series per issuer; one credit, one avoir number), so it takes no
    /// number of this desk's series and is not sealed here; it is booked once, as a note
    /// finalized here is.
    pub(super) async fn accept_imported_credit_note_in(
        &self,
        tx: &mut Box<dyn Tx>,
        caller: Caller<'_>,
        id: i64,
        number: &str,
    ) -> Result<CreditNoteView, ServiceError> {
        let note = load_note(tx, id).await?;
        check_credit_note_action(
            note.status,
            app::domain::Settled::NONE,
            CreditNoteAction::Finalize,
        )?;
        super::periods::require_open(tx, note.date, "date").await?;
        super::journal::fix_book_rate(tx, super::journal::Booking::of_note(&note)).await?;
        tx.finalize_credit_note(id, number, note.date, self.now(), true)
            .await?;
        self.record(
            tx,
            caller,
            Event::both(
                note.related_invoice_id,
                Some(id),
                EventData::CreditNoteFinalized {
                    number: number.to_string(),
                    imported: true,
                },
            ),
        )
        .await?;
        self.book_final_note(tx, id).await
    }

    /// Comments are allowed in every status.
    pub async fn comment_credit_note(
        &self,
        user: &CurrentUser,
        id: i64,
        text: &str,
    ) -> Result<CreditNoteView, ServiceError> {
        self.authorize(user, CreditNoteAction::Comment.permission())?;
        let text = text.trim();
        if text.is_empty() {
            return Err(rule(RuleCode::ValidationError, "text", "Write the comment"));
        }
        if text.chars().count() > MAX_COMMENT_CHARS {
            return Err(rule(
                RuleCode::ValidationError,
                "text",
                format!("A comment has at most {MAX_COMMENT_CHARS} characters"),
            ));
        }
        let mut tx = self.storage.write().await?;
        let note = load_note(&mut tx, id).await?;
        check_credit_note_action(
            note.status,
            app::domain::Settled::NONE,
            CreditNoteAction::Comment,
        )?;
        // Every read of a note carries its comments: they stay a bounded list.
        if note.comments.len() >= MAX_COMMENTS_PER_NOTE {
            return Err(ServiceError::Invalid(app::problem::Problem::new(
                409,
                "comment_limit",
                format!(
                    "A credit note keeps at most {MAX_COMMENTS_PER_NOTE} comments; the \
                     timeline keeps the discussion"
                ),
            )));
        }
        tx.insert_comment(id, Some(&user.email), text, self.now())
            .await?;
        self.record(
            &mut tx,
            Caller::User(user),
            Event::note(
                id,
                EventData::Comment {
                    text: text.to_string(),
                },
            ),
        )
        .await?;
        let note = load_note(&mut tx, id).await?;
        tx.commit().await?;
        Ok(note)
    }
}

/// A comment is a remark, not a document: at most this many characters…
const MAX_COMMENT_CHARS: usize = 4_000;
/// …and a note carries at most this many (each read of the note carries them all).
const MAX_COMMENTS_PER_NOTE: usize = 200;

/// Invoices offered at once as a note's related invoice: the rest are found by typing.
const RELATABLE_PAGE: i64 = 50;

async fn relatable(
    tx: &mut Box<dyn crate::storage::Tx>,
    customer_id: i64,
    typed: &str,
) -> Result<Vec<app::model::RelatableInvoice>, ServiceError> {
    let typed = typed.trim();
    let filter = crate::storage::InvoiceFilter {
        customer_id: Some(customer_id),
        number_prefix: (!typed.is_empty()).then(|| typed.to_string()),
        exclude_drafts: true,
        ..Default::default()
    };
    let page = Page {
        after: 0,
        limit: RELATABLE_PAGE,
    };
    Ok(tx
        .find_invoices(&filter, page)
        .await?
        .into_iter()
        .filter(|invoice| app::domain::may_be_related(invoice.status, invoice.kind))
        .map(|invoice| app::model::RelatableInvoice {
            customer_id: invoice.customer_id,
            number: invoice.number,
            issue_date: invoice.issue_date,
        })
        .collect())
}

impl Services {
    /// A draft credit note for an invoice: all its lines, or the chosen lines with reduced
    /// quantities, in the invoice's customer and currency, referring to it.
    pub async fn credit_invoice(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        date: Option<NaiveDate>,
        reason: Option<String>,
        selection: Vec<app::domain::LineSelection>,
    ) -> Result<CreatedCreditNote, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let invoice = self.invoice(user, invoice_id).await?;
        let invoice_lines: Vec<LineInput> = invoice.lines.iter().map(|line| line.input()).collect();
        let lines = app::domain::credit_lines_from_invoice(&invoice_lines, &selection)?;
        let date = date.unwrap_or_else(|| self.now().date_naive().max(invoice.issue_date));
        self.create_credit_note(
            Caller::User(user),
            NewCreditNoteInput {
                customer_id: invoice.customer_id,
                currency: invoice.currency,
                date,
                reason,
                related_invoice_id: Some(invoice_id),
                lines: lines.into_iter().map(LineDraft::from).collect(),
                charge: None,
                particulars: NoteParticulars::default(),
            },
        )
        .await
    }

    /// One page of a credit note's events, oldest first (staff only).
    pub async fn credit_note_timeline(
        &self,
        user: &CurrentUser,
        id: i64,
        page: Page,
    ) -> Result<Vec<super::TimelineEvent>, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        load_note(&mut tx, id).await?;
        let events = tx.events("credit_note_id", id, page).await?;
        Ok(events
            .into_iter()
            .map(super::invoices::timeline_event)
            .collect())
    }
}

impl Services {
    /// The credit-note page: the note, its related invoice's number and its timeline, read in
    /// one snapshot (staff only: the portal has its own view).
    pub async fn credit_note_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<CreditNotePage, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let mut tx = self.storage.read().await?;
        let note = load_note(&mut tx, id).await?;
        let (events, timeline_total) = tx
            .latest_events("credit_note_id", id, app::model::TIMELINE_LIMIT)
            .await?;
        let timeline = events
            .into_iter()
            .map(super::invoices::timeline_event)
            .collect();
        let related_invoice = match note.related_invoice_id {
            Some(invoice_id) => tx.invoice(invoice_id).await?.map(views::invoice),
            None => None,
        };
        Ok(CreditNotePage {
            attachments: tx.attachments(id).await?,
            tasks: tx.tasks(id).await?,
            assignees: super::activities::staff(&mut tx).await?,
            related_invoice,
            note,
            viewer: user.clone(),
            timeline,
            timeline_total,
            today: self.now().date_naive(),
        })
    }

    /// What the new-credit-note form offers: the customers matching `customer_q` (the chosen
    /// one first), the tax table, and the first relatable invoices of `customer_id` when one
    /// is chosen.
    pub async fn new_credit_note_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<NewCreditNotePage, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let customers = self.search_customers(user, customer_q, customer_id).await?;
        let mut tx = self.storage.read().await?;
        let invoices = match customer_id {
            Some(customer_id) => relatable(&mut tx, customer_id, "").await?,
            None => Vec::new(),
        };
        Ok(NewCreditNotePage {
            customers,
            invoices,
            tax_table: tx.tax_table().await?,
            today: self.now().date_naive(),
        })
    }

    /// The customer's invoices a credit note can relate to, numbers starting with `typed`:
    /// at most one short page (the editor's type-ahead).
    pub async fn relatable_invoices(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        typed: &str,
    ) -> Result<Vec<app::model::RelatableInvoice>, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let mut tx = self.storage.read().await?;
        relatable(&mut tx, customer_id, typed).await
    }

    /// What "credit this invoice" shows: the invoice and the notes already related to it
    /// (for people who may write credit notes).
    pub async fn credit_from_invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
    ) -> Result<CreditFromInvoicePage, ServiceError> {
        self.authorize(user, Permission::WriteCreditNotes)?;
        let mut tx = self.storage.read().await?;
        let invoice = super::load_invoice(&mut tx, invoice_id).await?;
        let filter = CreditNoteFilter {
            related_invoice_id: Some(invoice_id),
            ..Default::default()
        };
        let earlier = tx
            .find_credit_notes(&filter, super::list_page(0))
            .await?
            .into_iter()
            .take(super::LIST_PAGE_SIZE as usize)
            .map(views::credit_note)
            .collect();
        let (credited_minor, earlier_count) = tx
            .credited_total(invoice_id, &credit_counting_statuses(), None)
            .await?;
        Ok(CreditFromInvoicePage {
            credited_before: invoice.currency.from_minor(credited_minor),
            earlier_count,
            invoice,
            earlier,
            today: self.now().date_naive(),
        })
    }

    /// One page of the credit-note screen (staff only), and the customers its filter offers.
    pub async fn credit_note_list_page(
        &self,
        user: &CurrentUser,
        query: CreditNoteQuery,
    ) -> Result<CreditNoteListPage, ServiceError> {
        self.authorize(user, Permission::ReadInternalDetails)?;
        let filter = CreditNoteFilter {
            customer_id: query.customer_id,
            status: query.status,
            currency: query.currency,
            date_from: query.date_from,
            date_to: query.date_to,
            number_prefix: query.number_prefix,
            related_invoice_number: query.related_invoice_number,
            ..Default::default()
        };
        let mut tx = self.storage.read().await?;
        let mut notes = tx
            .find_credit_notes(&filter, super::list_page(query.after))
            .await?;
        let next_after = super::next_cursor(&mut notes, |note| note.id);
        drop(tx);
        let customers = self
            .search_customers(user, &query.customer_search, query.customer_id)
            .await?;
        Ok(CreditNoteListPage {
            notes: notes.into_iter().map(views::credit_note).collect(),
            next_after,
            customers,
            viewer: user.clone(),
        })
    }
}
