//! REST API v1 under `/api/v1`: a thin door onto the service layer. Errors leave as
//! `application/problem+json`, mapped in one place ([`ApiError`]).

mod activities;
mod auth;
mod credit_notes;
mod customers;
mod documents;
mod einvoices;
mod exchange_rates;
mod extract;
mod idempotency;
mod imports;
mod input;
mod invoices;
mod journal;
pub mod openapi;
mod pagination;
mod reminders;
mod resources;
pub mod sign_in_limit;
mod tax;
mod upload;

use axum::Router;
use axum::routing::{delete, get, patch, post, put};

pub use activities::file_response;
pub use credit_notes::download_response;
pub use documents::logo_response;
pub use extract::{ApiError, ApiJson, ApiPath, ApiQuery, ApiUser};
pub use journal::{FecPart, fec_download};
pub use upload::{IMPORT_FILE, LOGO, RATES_FILE, SUPPORTING_FILE, Upload};

use crate::services::Services;

pub fn router(services: Services) -> Router {
    Router::new()
        .route(
            "/auth/token",
            post(auth::create_token).delete(auth::revoke_token),
        )
        .route("/users", post(auth::create_user))
        .route("/auth/password", post(auth::change_own_password))
        .route("/users/{id}/password", post(auth::reset_user_password))
        .route(
            "/openapi.json",
            get(|| async { axum::Json(<openapi::ApiDoc as utoipa::OpenApi>::openapi()) }),
        )
        .route("/tax-rules", get(tax::read).put(tax::replace))
        .route("/journal", get(journal::list))
        .route("/exports/fec", get(journal::fec))
        .route("/exports/fec/description", get(journal::fec_description))
        .route("/exports/datev", get(journal::datev))
        .route(
            "/settings/accounts",
            get(journal::accounts).put(journal::set_accounts),
        )
        .route(
            "/exchange-rates",
            get(exchange_rates::list).put(exchange_rates::save),
        )
        .route(
            "/exchange-rates/ecb",
            post(exchange_rates::import_ecb).layer(upload::RATES_FILE.body_limit()),
        )
        .route(
            "/settings/closing-date",
            get(journal::closing_date).put(journal::close_books),
        )
        .route(
            "/settings/seller",
            get(documents::seller).put(documents::set_seller),
        )
        .route(
            "/settings/seller/logo",
            get(documents::logo)
                .put(documents::set_logo)
                .layer(upload::LOGO.body_limit())
                .delete(documents::remove_logo),
        )
        .route(
            "/settings/templates/{kind}",
            get(documents::template)
                .put(documents::save_template)
                .delete(documents::reset_template),
        )
        .route("/customers", post(customers::create).get(customers::list))
        .route(
            "/customers/{id}",
            get(customers::read).patch(customers::update),
        )
        .route("/customers/{id}/credit-notes", get(customers::credit_notes))
        .route("/customers/{id}/portal", put(customers::set_portal))
        .route("/customers/{id}/reminders", put(reminders::schedule))
        .route("/invoices", post(invoices::create).get(invoices::list))
        .route(
            "/invoices/{id}",
            get(invoices::read)
                .patch(invoices::edit)
                .delete(invoices::remove),
        )
        .route("/invoices/{id}/payments", post(invoices::pay))
        .route("/invoices/{id}/issue", post(invoices::issue))
        .route("/invoices/{id}/mark-paid", post(invoices::mark_paid))
        .route("/invoices/{id}/mark-pending", post(invoices::mark_pending))
        .route("/invoices/{id}/cancel", post(invoices::cancel))
        .route("/invoices/{id}/credit-notes", post(invoices::credit))
        .route("/invoices/{id}/timeline", get(invoices::timeline))
        .route("/invoices/{id}/pdf", get(documents::invoice_pdf))
        .route("/invoices/{id}/ubl", get(einvoices::invoice_ubl))
        .route("/invoices/{id}/reminders", post(reminders::send))
        .route(
            "/imports",
            post(imports::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::services::MAX_IMPORT_BYTES,
            )),
        )
        .route("/invoices/{id}/factur-x", get(einvoices::invoice_facturx))
        .route(
            "/invoices/{id}/linkable-credit-notes",
            get(invoices::linkable),
        )
        .route("/invoices/{id}/allocations", post(invoices::link))
        .route(
            "/invoices/{id}/allocations/{allocation_id}",
            delete(invoices::unlink),
        )
        .route(
            "/credit-notes",
            post(credit_notes::create).get(credit_notes::list),
        )
        .route(
            "/credit-notes/{id}",
            get(credit_notes::read)
                .patch(credit_notes::edit)
                .delete(credit_notes::remove),
        )
        .route("/credit-notes/{id}/refunds", post(credit_notes::refund))
        .route("/credit-notes/{id}/cancel", post(credit_notes::cancel))
        .route("/credit-notes/{id}/void", post(credit_notes::void))
        .route("/credit-notes/{id}/timeline", get(credit_notes::timeline))
        .route("/credit-notes/{id}/pdf", get(credit_notes::pdf))
        .route("/credit-notes/{id}/ubl", get(einvoices::credit_note_ubl))
        .route(
            "/credit-notes/{id}/factur-x",
            get(einvoices::credit_note_facturx),
        )
        .route("/credit-notes/{id}/send", post(documents::send))
        .route(
            "/credit-notes/{id}/attachments",
            post(activities::upload)
                .layer(upload::SUPPORTING_FILE.body_limit())
                .get(activities::list),
        )
        .route(
            "/credit-notes/{id}/attachments/{attachment_id}",
            get(activities::download).delete(activities::remove),
        )
        .route(
            "/credit-notes/{id}/tasks",
            get(activities::tasks).post(activities::add_task),
        )
        .route(
            "/credit-notes/{id}/tasks/{task_id}",
            patch(activities::change_task),
        )
        .route("/credit-notes/{id}/submit", post(credit_notes::submit))
        .route("/credit-notes/{id}/reject", post(credit_notes::reject))
        .route("/credit-notes/{id}/finalize", post(credit_notes::finalize))
        .route("/credit-notes/{id}/comments", post(credit_notes::comment))
        .fallback(|| async { ApiError::from(app::problem::Problem::not_found("This API path")) })
        .layer(axum::middleware::from_fn_with_state(
            services.clone(),
            idempotency::layer,
        ))
        .with_state(services)
}
