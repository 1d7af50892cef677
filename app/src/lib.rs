//! creditdesk's shared crate: the domain (plain Rust), the views, the server functions and the
//! Leptos components. Built with `ssr` into the server and with `hydrate` into the browser.

pub mod domain;
pub mod model;
pub mod pages;
pub mod problem;
pub mod rpc;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment, path};

use pages::invoice_detail::InvoiceDetailPage;
use pages::invoices::InvoicesPage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: this marks the page once the client app has taken over,
    // which browser tests wait for before they click.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/creditdesk.css"/>
        <Title text="creditdesk"/>
        <Router>
            <header class="topbar">
                <A href="/invoices" attr:class="brand">"creditdesk"</A>
                <nav aria-label="Main">
                    <A href="/invoices">"Invoices"</A>
                </nav>
            </header>
            <main>
                // Async SSR: pages arrive complete, so they read and work with JavaScript off.
                <Routes fallback=|| view! { <p>"Page not found."</p> }>
                    <Route path=StaticSegment("") view=|| view! { <Redirect path="/invoices"/> }/>
                    <Route path=path!("/invoices") view=InvoicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:id") view=InvoiceDetailPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
