//! The OpenAPI document of API v1, generated from the handlers and types above.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, credit_notes, customers, invoices, tax};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "creditdesk API",
        version = "1",
        description = "Customer credit notes for accounts receivable: invoices, credit notes, links between them, refunds and timelines. Money is a decimal string in the currency's minor-unit scale; errors are RFC 9457 problem details with a machine `code`. Any POST may carry an `Idempotency-Key`."
    ),
    servers((url = "/api/v1")),
    paths(
        auth::create_token, auth::revoke_token, auth::create_user, tax::read, tax::replace,
        customers::create, customers::list, customers::read, customers::credit_notes,
        customers::set_portal,
        invoices::create, invoices::list, invoices::read, invoices::edit, invoices::remove,
        invoices::pay, invoices::issue, invoices::mark_paid, invoices::mark_pending, invoices::cancel,
        invoices::timeline, invoices::linkable, invoices::link, invoices::unlink, invoices::credit,
        credit_notes::create, credit_notes::list, credit_notes::read, credit_notes::edit,
        credit_notes::remove, credit_notes::submit, credit_notes::reject, credit_notes::finalize, credit_notes::comment,
        credit_notes::refund, credit_notes::cancel, credit_notes::timeline, credit_notes::pdf,
    ),
    modifiers(&BearerAuth)
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
