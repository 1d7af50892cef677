//! The pages as lazy routes: in the browser each page's code is a chunk of its own, loaded
//! when the page is first shown (`cargo leptos build --split`), so the first page loads only
//! the shell and itself. On the server they render at once, like any route.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages;

/// Declares a lazy route per page component.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),+ $(,)?) => {
        $(
            pub struct $route;

            #[lazy_route]
            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> AnyView {
                    view! { <$page/> <HydrationMark/> }.into_any()
                }
            }
        )+
    };
}

/// Marks the document once the page's own code has taken it over. Effects run only in the
/// browser, and this one sits inside the lazy page, so it runs after the page's chunk has
/// loaded and hydrated, not merely the shell; browser tests wait for it before they click.
#[component]
fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

lazy_pages! {
    InvoicesRoute => pages::invoices::InvoicesPage,
    InvoiceRoute => pages::invoice_detail::InvoiceDetailPage,
    NewInvoiceRoute => pages::invoice_editor::NewInvoicePage,
    EditInvoiceRoute => pages::invoice_editor::EditInvoicePage,
    CreditInvoiceRoute => pages::credit_from_invoice::CreditFromInvoicePage,
    CreditNotesRoute => pages::credit_notes::CreditNotesPage,
    NewCreditNoteRoute => pages::new_credit_note::NewCreditNotePage,
    CreditNoteRoute => pages::credit_note_detail::CreditNoteDetailPage,
    EditCreditNoteRoute => pages::new_credit_note::EditCreditNotePage,
    CustomersRoute => pages::customers::CustomersPage,
    CustomerRoute => pages::customers::CustomerDetailPage,
    LoginRoute => pages::login::LoginPage,
    ChangePasswordRoute => pages::account::ChangePasswordPage,
    PortalRoute => pages::portal::PortalPage,
    SettingsRoute => pages::settings::SettingsPage,
    JournalRoute => pages::journal::JournalPage,
    ImportsRoute => pages::imports::ImportsPage,
    ImportRoute => pages::imports::ImportPreviewPage,
}
