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
use i18n::{Msg, t};
use leptos_router::Lazy;
use routes::*;
use rpc::{Logout, whoami};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let language = i18n::use_language();
    // The page's language for the browser: data, not a script (it runs nothing).
    let catalog = {
        #[cfg(feature = "ssr")]
        {
            i18n::catalog_json(language)
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    };
    view! {
        <!DOCTYPE html>
        <html lang=language.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <script type="application/json" id="catalog" nonce=leptos::nonce::use_nonce() inner_html=catalog></script>
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
                <Routes fallback=|| view! { <p>{t(Msg::CommonPageNotFound)}</p> }>
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

/// The language switch: a plain form post (a new page, in the new language, with or without
/// JavaScript), back to where the user was.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let current = i18n::use_language();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/rpc/set_language" class="language">
            <input type="hidden" name="back" value=back/>
            <label>
                <span class="visually-hidden">{i18n::t(Msg::LanguageLabel)}</span>
                <select name="language" aria-label=i18n::t(Msg::LanguageLabel)>
                    {i18n::Language::ALL.into_iter().map(|language| view! {
                        <option value=language.code() selected=language == current lang=language.code()>
                            {language.native_name()}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="link">{i18n::t(Msg::LanguageApply)}</button>
        </form>
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
                            <nav aria-label=t(Msg::NavMain)><A href="/login">{t(Msg::NavSignIn)}</A></nav>
                        }.into_any(),
                        Some(user) => {
                            // Only what the role may open: staff screens, or the portal.
                            let home = if user.role.is_internal() {
                                view! {
                                    <A href="/invoices">{t(Msg::NavInvoices)}</A>
                                    <A href="/credit-notes">{t(Msg::NavCreditNotes)}</A>
                                    <A href="/customers">{t(Msg::NavCustomers)}</A>
                                    <A href="/journal">{t(Msg::NavJournal)}</A>
                                    {user.may(Permission::WriteInvoices).then(|| view! { <A href="/imports">{t(Msg::NavImport)}</A> })}
                                    {user.may(Permission::ManageUsers).then(|| view! { <A href="/settings">{t(Msg::NavSettings)}</A> })}
                                }.into_any()
                            } else {
                                view! { <A href="/portal">{t(Msg::NavPortal)}</A> }.into_any()
                            };
                            view! {
                                <nav aria-label=t(Msg::NavMain)>{home}</nav>
                                <div class="who">
                                    <span>{user.email.clone()} " · " {t(role_message(user.role))}</span>
                                    <A href="/account/password">{t(Msg::NavPassword)}</A>
                                    <ActionForm action=logout>
                                        <button type="submit" class="link">{t(Msg::NavSignOut)}</button>
                                    </ActionForm>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
            <LanguageSwitch/>
        </header>
    }
}

/// A role's name for people.
fn role_message(role: domain::Role) -> Msg {
    match role {
        domain::Role::Administrator => Msg::RoleAdministrator,
        domain::Role::CreditManager => Msg::RoleCreditManager,
        domain::Role::SalesManager => Msg::RoleSalesManager,
        domain::Role::Sales => Msg::RoleSales,
        domain::Role::Viewer => Msg::RoleViewer,
        domain::Role::Customer => Msg::RoleCustomer,
    }
}
