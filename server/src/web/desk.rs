//! The service layer seen through the `Desk` port the server functions use: each command
//! handed to its service.

use crate::services::Services;
use app::backend::{Desk, DocumentSettingsCommand, InvoiceCommand, NoteCommand, UserCommand};
use app::domain::AllocationRequest;
use app::model::{
    CreditFromInvoicePage, CreditNoteListPage, CreditNotePage, CreditNoteQuery, CurrentUser,
    InvoicePage, InvoiceView, NewCreditNotePage, PortalView,
};
use app::problem::Problem;

/// The service layer seen through the port the server functions use.
#[async_trait::async_trait]
impl Desk for Services {
    async fn session_user(
        &self,
        id: i64,
        signed_in_at_ms: i64,
    ) -> Result<Option<CurrentUser>, Problem> {
        Ok(Services::session_user(self, id, signed_in_at_ms).await?)
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        Services::now(self)
    }

    async fn authenticate(
        &self,
        email: &str,
        password: &str,
        client: Option<std::net::IpAddr>,
        device: Option<&str>,
    ) -> Result<CurrentUser, Problem> {
        Ok(Services::authenticate_from(self, email, password, client, device).await?)
    }

    async fn remember_device(
        &self,
        user: &CurrentUser,
        carried: Option<&str>,
    ) -> Result<String, Problem> {
        Ok(Services::remember_device(self, user, carried).await?)
    }

    async fn invoice_list_page(
        &self,
        user: &CurrentUser,
        query: app::model::InvoiceQuery,
    ) -> Result<app::model::InvoiceListPage, Problem> {
        Ok(Services::invoice_list_page(self, user, query).await?)
    }

    async fn invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        with_candidates: bool,
    ) -> Result<InvoicePage, Problem> {
        Ok(Services::invoice_page(self, user, invoice_id, with_candidates).await?)
    }

    async fn link_credit_notes(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        requests: Vec<AllocationRequest>,
    ) -> Result<InvoiceView, Problem> {
        Ok(Services::link_credit_notes(self, invoice_id, requests, user).await?)
    }

    async fn unlink_credit_note(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        allocation_id: i64,
    ) -> Result<InvoiceView, Problem> {
        Ok(Services::unlink_credit_note(self, user, invoice_id, allocation_id).await?)
    }

    async fn portal(
        &self,
        user: &CurrentUser,
        notes_after: i64,
        invoices_after: i64,
    ) -> Result<PortalView, Problem> {
        Ok(Services::portal(self, user, notes_after, invoices_after).await?)
    }

    async fn credit_note_list_page(
        &self,
        user: &CurrentUser,
        query: CreditNoteQuery,
    ) -> Result<CreditNoteListPage, Problem> {
        Ok(Services::credit_note_list_page(self, user, query).await?)
    }

    async fn credit_note_page(
        &self,
        user: &CurrentUser,
        credit_note_id: i64,
    ) -> Result<CreditNotePage, Problem> {
        Ok(Services::credit_note_page(self, user, credit_note_id).await?)
    }

    async fn credit_from_invoice_page(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
    ) -> Result<CreditFromInvoicePage, Problem> {
        Ok(Services::credit_from_invoice_page(self, user, invoice_id).await?)
    }

    async fn credit_invoice(
        &self,
        user: &CurrentUser,
        invoice_id: i64,
        date: chrono::NaiveDate,
        reason: Option<String>,
        selection: Vec<app::domain::LineSelection>,
    ) -> Result<i64, Problem> {
        let created =
            Services::credit_invoice(self, user, invoice_id, Some(date), reason, selection).await?;
        Ok(created.note.id)
    }

    async fn new_credit_note_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<NewCreditNotePage, Problem> {
        Ok(Services::new_credit_note_page(self, user, customer_id, customer_q).await?)
    }

    async fn search_customers(
        &self,
        user: &CurrentUser,
        typed: &str,
        chosen: Option<i64>,
    ) -> Result<Vec<app::model::CustomerView>, Problem> {
        Ok(Services::search_customers(self, user, typed, chosen).await?)
    }

    async fn relatable_invoices(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        typed: &str,
    ) -> Result<Vec<app::model::RelatableInvoice>, Problem> {
        Ok(Services::relatable_invoices(self, user, customer_id, typed).await?)
    }

    async fn save_credit_note(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: app::rpc::new_credit_note::NewCreditNoteForm,
    ) -> Result<i64, Problem> {
        crate::web::note_form::save_from_form(self, user, id, form).await
    }

    async fn credit_note_command(
        &self,
        user: &CurrentUser,
        id: i64,
        command: NoteCommand,
    ) -> Result<(), Problem> {
        use crate::services::{Caller, PaymentInput};
        match command {
            NoteCommand::Submit => drop(self.submit_credit_note(user, id).await?),
            NoteCommand::Reject { reason } => {
                drop(self.reject_credit_note(user, id, &reason).await?)
            }
            NoteCommand::Finalize => drop(self.finalize_credit_note(Caller::User(user), id).await?),
            NoteCommand::Cancel => drop(self.cancel_credit_note(user, id).await?),
            NoteCommand::Void { reason } => drop(self.void_credit_note(user, id, &reason).await?),
            NoteCommand::Delete => self.delete_credit_note(user, id).await?,
            NoteCommand::Comment { text } => drop(self.comment_credit_note(user, id, &text).await?),
            NoteCommand::Refund {
                amount,
                date,
                method,
            } => {
                // The amount means something only in the note's own currency.
                let currency = self.credit_note(user, id).await?.currency;
                let amount = app::rpc::reader().positive_amount("amount", &amount, currency)?;
                let refund = PaymentInput {
                    amount,
                    date,
                    method,
                    reference: None,
                };
                drop(self.refund_credit_note(user, id, refund).await?)
            }
            NoteCommand::RemoveAttachment { attachment_id } => {
                self.remove_attachment(user, id, attachment_id).await?
            }
            NoteCommand::AddTask {
                title,
                due_date,
                assignee_id,
            } => {
                let input = crate::services::NewTaskInput {
                    title,
                    due_date,
                    assignee_id,
                };
                drop(self.add_task(user, id, input).await?)
            }
            NoteCommand::SetTaskDone { task_id, done } => {
                drop(self.set_task_done(user, id, task_id, done).await?)
            }
            NoteCommand::Send { to, cc, message } => {
                let request = crate::services::SendRequest { to, cc, message };
                drop(self.send_credit_note(user, id, request).await?)
            }
        }
        Ok(())
    }

    async fn journal_page(
        &self,
        user: &CurrentUser,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        after: i64,
    ) -> Result<app::model::JournalPage, Problem> {
        Ok(Services::journal_page(self, user, from, to, after).await?)
    }

    async fn customer_list_page(
        &self,
        user: &CurrentUser,
        after: i64,
    ) -> Result<app::model::CustomerListPage, Problem> {
        Ok(Services::customer_list_page(self, user, after).await?)
    }

    async fn customer_page(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        tab: app::model::CustomerTab,
        after: i64,
    ) -> Result<app::model::CustomerPage, Problem> {
        Ok(Services::customer_page(self, user, customer_id, tab, after).await?)
    }

    async fn set_customer_portal(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        enabled: bool,
    ) -> Result<(), Problem> {
        Ok(Services::set_customer_portal(self, user, customer_id, enabled).await?)
    }

    async fn set_customer_reminders(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        days: Option<u16>,
    ) -> Result<(), Problem> {
        Services::set_customer_reminders(self, user, customer_id, days).await?;
        Ok(())
    }

    async fn import_page(
        &self,
        user: &CurrentUser,
        id: i64,
    ) -> Result<app::model::ImportPage, Problem> {
        Ok(Services::import_page(self, user, id).await?)
    }

    async fn apply_import(&self, user: &CurrentUser, id: i64) -> Result<(), Problem> {
        Services::apply_import(self, user, id).await?;
        Ok(())
    }

    async fn create_customer(
        &self,
        user: &CurrentUser,
        form: app::rpc::customers::CustomerForm,
    ) -> Result<i64, Problem> {
        let input = customer_input(&form)?;
        Ok(Services::create_customer(self, crate::services::Caller::User(user), input).await?)
    }

    async fn update_customer(
        &self,
        user: &CurrentUser,
        customer_id: i64,
        form: app::rpc::customers::CustomerForm,
    ) -> Result<(), Problem> {
        let input = customer_input(&form)?;
        Services::update_customer(
            self,
            crate::services::Caller::User(user),
            customer_id,
            input,
        )
        .await?;
        Ok(())
    }

    async fn settings_page(
        &self,
        user: &CurrentUser,
        customer_q: &str,
    ) -> Result<app::model::SettingsPage, Problem> {
        Ok(Services::settings_page(self, user, customer_q).await?)
    }

    async fn save_tax_table(
        &self,
        user: &CurrentUser,
        table: app::domain::TaxTable,
    ) -> Result<(), Problem> {
        Services::set_tax_table(self, user, table).await?;
        Ok(())
    }

    async fn document_settings(
        &self,
        user: &CurrentUser,
        command: DocumentSettingsCommand,
    ) -> Result<(), Problem> {
        match command {
            DocumentSettingsCommand::SaveSeller(seller) => {
                drop(self.set_seller(user, *seller).await?)
            }
            DocumentSettingsCommand::SaveTemplate { kind, source } => {
                self.save_document_template(user, kind, source).await?
            }
            DocumentSettingsCommand::ResetTemplate(kind) => {
                self.reset_document_template(user, kind).await?
            }
            DocumentSettingsCommand::RemoveLogo => drop(self.remove_seller_logo(user).await?),
            DocumentSettingsCommand::SaveAccounts(chart) => {
                drop(self.set_chart_of_accounts(user, *chart).await?)
            }
            DocumentSettingsCommand::CloseBooks(date) => {
                self.close_books(user, date).await?;
            }
            DocumentSettingsCommand::SaveExchangeRate(rate) => {
                self.save_exchange_rates(user, vec![rate]).await?;
            }
        }
        Ok(())
    }

    async fn user_command(&self, user: &CurrentUser, command: UserCommand) -> Result<(), Problem> {
        match command {
            UserCommand::Create {
                email,
                password,
                role,
                customer_id,
            } => {
                let input = crate::services::NewUserInput {
                    email,
                    password,
                    role,
                    customer_id,
                };
                drop(
                    self.create_user(crate::services::Caller::User(user), input)
                        .await?,
                )
            }
            UserCommand::ChangeRole { user_id, role } => {
                self.change_role(user, user_id, role).await?
            }
            UserCommand::Deactivate { user_id } => self.deactivate_user(user, user_id).await?,
            UserCommand::ResetPassword { user_id, password } => {
                self.reset_password(user, user_id, &password).await?
            }
            UserCommand::ChangeOwnPassword { current, new } => {
                self.change_own_password(user, &current, &new).await?
            }
            UserCommand::ChooseLanguage(language) => self.set_own_language(user, language).await?,
        }
        Ok(())
    }

    async fn invoice_command(
        &self,
        user: &CurrentUser,
        id: i64,
        command: InvoiceCommand,
    ) -> Result<(), Problem> {
        match command {
            InvoiceCommand::Payment {
                amount,
                date,
                method,
                reference,
            } => {
                // The amount means something only in the invoice's own currency.
                let currency = self.invoice(user, id).await?.currency;
                let amount = app::rpc::reader().positive_amount("amount", &amount, currency)?;
                let payment = crate::services::PaymentInput {
                    amount,
                    date,
                    method,
                    reference,
                };
                drop(self.record_payment(user, id, payment).await?)
            }
            InvoiceCommand::Issue => drop(self.issue_invoice(user, id).await?),
            InvoiceCommand::MarkPaid => drop(self.mark_paid(user, id).await?),
            InvoiceCommand::MarkPending => drop(self.mark_pending(user, id).await?),
            InvoiceCommand::Cancel => drop(self.cancel_invoice(user, id).await?),
            InvoiceCommand::Delete => self.delete_invoice(user, id).await?,
            InvoiceCommand::SendReminder => drop(self.send_reminder(user, id).await?),
        }
        Ok(())
    }

    async fn invoice_editor_page(
        &self,
        user: &CurrentUser,
        customer_id: Option<i64>,
        customer_q: &str,
    ) -> Result<app::model::InvoiceEditorPage, Problem> {
        Ok(Services::invoice_editor_page(self, user, customer_id, customer_q).await?)
    }

    async fn save_invoice(
        &self,
        user: &CurrentUser,
        id: Option<i64>,
        form: app::rpc::invoice_editor::InvoiceForm,
    ) -> Result<i64, Problem> {
        crate::web::invoice_form::save_from_form(self, user, id, form).await
    }
}

/// The customer form as the services take it: the currency upper-cased, the language chosen
/// or left to the tax region (blanks are trimmed by the service).
fn customer_input(
    form: &app::rpc::customers::CustomerForm,
) -> Result<crate::services::NewCustomerInput, Problem> {
    let currency = app::domain::Currency::parse(&form.currency.trim().to_uppercase())
        .map_err(|error| Problem::validation("currency", error.to_string()))?;
    let document_language = match form.document_language.trim() {
        "" => None,
        code => Some(app::domain::Language::parse(code).ok_or_else(|| {
            Problem::validation("document_language", format!("{code} is not en, fr or de"))
        })?),
    };
    Ok(crate::services::NewCustomerInput {
        name: form.name.clone(),
        email: Some(form.email.clone()),
        currency,
        tax_region: form.tax_region.clone(),
        vat_id: Some(form.vat_id.clone()),
        siren: Some(form.siren.clone()),
        consumer: !form.consumer.is_empty(),
        billing_address: form.billing_address(),
        shipping_address: form.shipping_address(),
        document_language,
    })
}
