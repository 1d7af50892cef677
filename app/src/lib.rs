//! creditdesk's shared crate: the domain (plain Rust), the views, the server functions and the
//! Leptos components. Built with `ssr` into the server and with `hydrate` into the browser.

pub mod domain;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod problem;
pub mod routes;
pub mod rpc;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment, path};

use leptos_router::hooks::use_location;

use domain::Permission;
use leptos_router::Lazy;
use routes::*;
use rpc::{Logout, whoami};

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
    view! {
        <Stylesheet id="leptos" href="/pkg/creditdesk.css"/>
        <Title text="creditdesk"/>
        <Router>
            <TopBar/>
            <main>
                // Async SSR: pages arrive complete, so they read and work with JavaScript off.
                <Routes fallback=|| view! { <p>"Page not found."</p> }>
                    <Route path=StaticSegment("") view=|| view! { <Redirect path="/invoices"/> }/>
                    <Route path=path!("/invoices") view={Lazy::<InvoicesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/new") view={Lazy::<NewInvoiceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:id") view={Lazy::<InvoiceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:id/edit") view={Lazy::<EditInvoiceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:id/credit") view={Lazy::<CreditInvoiceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/credit-notes") view={Lazy::<CreditNotesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/credit-notes/new") view={Lazy::<NewCreditNoteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/credit-notes/:id") view={Lazy::<CreditNoteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/credit-notes/:id/edit") view={Lazy::<EditCreditNoteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/customers") view={Lazy::<CustomersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/customers/:id") view={Lazy::<CustomerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view={Lazy::<ChangePasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/journal") view={Lazy::<JournalRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/imports") view={Lazy::<ImportsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/imports/:id") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/portal") view={Lazy::<PortalRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// The top bar: where to go, and who is signed in.
#[component]
fn TopBar() -> impl IntoView {
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    // Asked again on every navigation, so signing in or out shows at once.
    let user = Resource::new(move || location.pathname.get(), |_| whoami());
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">"creditdesk"</A>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await.ok().flatten() {
                        None => view! {
                            <nav aria-label="Main"><A href="/login">"Sign in"</A></nav>
                        }.into_any(),
                        Some(user) => {
                            // Only what the role may open: staff screens, or the portal.
                            let home = if user.role.is_internal() {
                                view! {
                                    <A href="/invoices">"Invoices"</A>
                                    <A href="/credit-notes">"Credit notes"</A>
                                    <A href="/customers">"Customers"</A>
                                    <A href="/journal">"Journal"</A>
                                    {user.may(Permission::WriteInvoices).then(|| view! { <A href="/imports">"Import"</A> })}
                                    {user.may(Permission::ManageUsers).then(|| view! { <A href="/settings">"Settings"</A> })}
                                }.into_any()
                            } else {
                                view! { <A href="/portal">"Portal"</A> }.into_any()
                            };
                            view! {
                                <nav aria-label="Main">{home}</nav>
                                <div class="who">
                                    <span>{user.email.clone()} " · " {user.role.as_str().replace('_', " ")}</span>
                                    <A href="/account/password">"Password"</A>
                                    <ActionForm action=logout>
                                        <button type="submit" class="link">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </header>
    }
}
