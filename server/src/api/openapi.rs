//! The OpenAPI document of API v1, generated from the handlers and types above.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    activities, auth, credit_notes, customers, documents, einvoices, exchange_rates, imports,
    invoices, journal, reminders, tax,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "creditdesk API",
        version = "1",
        description = "Customer credit notes for accounts receivable: invoices, credit notes, links between them, refunds and timelines. Money is a decimal string in the currency's minor-unit scale; errors are RFC 9457 problem details with a machine `code`. Any POST may carry an `Idempotency-Key`."
    ),
    servers((url = "/api/v1")),
    paths(
        auth::create_token, auth::revoke_token, auth::create_user,
        auth::change_own_password, auth::reset_user_password, tax::read, tax::replace,
        customers::create, customers::list, customers::read, customers::update, customers::credit_notes,
        customers::set_portal,
        invoices::create, invoices::list, invoices::read, invoices::edit, invoices::remove,
        invoices::pay, invoices::issue, invoices::mark_paid, invoices::mark_pending, invoices::cancel,
        invoices::timeline, invoices::linkable, invoices::link, invoices::unlink, invoices::credit,
        credit_notes::create, credit_notes::list, credit_notes::read, credit_notes::edit,
        credit_notes::remove, credit_notes::submit, credit_notes::reject, credit_notes::finalize, credit_notes::comment,
        credit_notes::refund, credit_notes::cancel, credit_notes::void, credit_notes::timeline, credit_notes::pdf,
        documents::invoice_pdf, documents::seller, documents::set_seller, documents::logo,
        documents::set_logo, documents::remove_logo, documents::template,
        documents::save_template, documents::reset_template, documents::send,
        activities::upload, activities::list, activities::download, activities::remove,
        activities::tasks, activities::add_task, activities::change_task,
        journal::list, journal::fec, journal::fec_description, journal::datev, journal::accounts, journal::set_accounts,
        journal::closing_date, journal::close_books,
        exchange_rates::list, exchange_rates::save, exchange_rates::import_ecb,
        einvoices::credit_note_ubl, einvoices::credit_note_facturx, einvoices::invoice_ubl,
        einvoices::invoice_facturx, reminders::send, reminders::schedule, imports::import,
    ),
    modifiers(&BearerAuth, &EveryProblem)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Adds to every operation the problems any request of its kind can meet, so the document
/// names every status the server really sends: 401 and 403 wherever a token is needed; 400
/// (malformed JSON or query), 413 (body too large), 415 (not JSON) and 422 (invalid values)
/// wherever a body or a query string is read; 429 on sign-in (the throttle), on sending
/// e-mail and uploading files (the daily quotas) and on renders and exports (the rate limit);
/// 503 when no PDF renderer frees up in time.
struct EveryProblem;

impl Modify for EveryProblem {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ProblemDetails")))
                        .build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description).into());
                };
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                if secured {
                    add("401", "No or an invalid token");
                    add("403", "The role does not allow this");
                }
                let reads_query = operation.parameters.as_ref().is_some_and(|parameters| {
                    parameters.iter().any(|p| {
                        matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                    })
                });
                if operation.request_body.is_some() {
                    add("400", "The body is not JSON");
                    add("413", "The body is too large");
                    add("415", "The body is not sent as application/json");
                    add("422", "Invalid input or a broken rule");
                } else if reads_query {
                    add("400", "The query string cannot be read");
                    add("422", "A query parameter is invalid");
                }
                if path == "/auth/token" {
                    add("429", "Too many failed sign-ins: wait and try again");
                }
                // Renders and exports count against the user's rate limit, and wait for a
                // free renderer.
                let renders = ["/pdf", "/ubl", "/factur-x"]
                    .iter()
                    .any(|suffix| path.ends_with(suffix))
                    || path == "/exports/fec";
                if renders {
                    add(
                        "429",
                        "Too many documents rendered or exported: wait the seconds the detail names",
                    );
                }
                if path.ends_with("/pdf") || path.ends_with("/factur-x") {
                    add(
                        "503",
                        "Every PDF renderer stayed busy past the time limit: try again",
                    );
                }
                // Supporting files count against the uploader's daily quota.
                if path == "/credit-notes/{id}/attachments" && operation.request_body.is_some() {
                    add("429", "The daily upload quota is used up");
                }
                // E-mail counts against the sender's daily quota.
                if path == "/credit-notes/{id}/send" || path == "/invoices/{id}/reminders" {
                    add(
                        "429",
                        "The daily e-mail quota is used up: send again tomorrow",
                    );
                }
            }
        }
    }
}
