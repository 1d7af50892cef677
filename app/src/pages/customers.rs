//! The customers: a list with keyset paging and a form for a new customer, and each
//! customer's page with a Credits tab (its notes and what remains of them to use) and an
//! Invoices tab. Tabs and pages live in the URL, so they work the same with JavaScript off.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::credit_notes::CreditNoteTable;
use super::invoices::InvoiceTable;
use super::{ProblemMessage, field_error, form_error, path_id, refusal};
use crate::domain::{Language, Permission};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::{CustomerListPage, CustomerPage, CustomerTab, CustomerView};
use crate::problem::Problem;
use crate::rpc::customers::{
    CreateCustomer, SetCustomerPortal, SetCustomerReminders, UpdateCustomer, load_customer_list,
    load_customer_page,
};

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateCustomer>::new();
    let after = move || query.read().get("after");
    let page = Resource::new(after, load_customer_list);
    view! {
        <h1>{t(Msg::NavCustomers)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::CustomersLoadingList)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <CustomerList page create/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerList(page: CustomerListPage, create: ServerAction<CreateCustomer>) -> impl IntoView {
    let may_create = page.viewer.may(Permission::CreateCustomer);
    let next = page
        .next_after
        .map(|after| format!("/customers?after={after}"));
    view! {
        {if page.customers.is_empty() {
            view! { <p>{t(Msg::CustomersEmpty)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption class="visually-hidden">{t(Msg::NavCustomers)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::CustomersName)}</th>
                            <th scope="col">{t(Msg::CustomersEmail)}</th>
                            <th scope="col">{t(Msg::CustomersCurrency)}</th>
                            <th scope="col">{t(Msg::CustomersTaxRegion)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.customers.into_iter().map(|customer| view! {
                            <tr>
                                <td><A href=format!("/customers/{}", customer.id)>{customer.name.clone()}</A></td>
                                <td>{customer.email.clone().unwrap_or_default()}</td>
                                <td>{customer.currency.code()}</td>
                                <td>{customer.tax_region.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="paging" aria-label=t(Msg::CommonPages)>
            {next.map(|href| view! { <A href=href>{t(Msg::CommonNextPage)}</A> })}
        </nav>
        {may_create.then(|| view! { <NewCustomerForm action=create/> })}
    }
}

/// A new customer: name, currency, tax region and addresses; blank shipping fields ship to
/// the billing address. A refusal shows on its field.
#[component]
fn NewCustomerForm(action: ServerAction<CreateCustomer>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::CustomersNew)>
            <h2>{t(Msg::CustomersNew)}</h2>
            <CustomerFields action initial=None/>
            <button type="submit" class="primary">{t(Msg::CustomersCreate)}</button>
        </ActionForm>
    }
}

/// What a customer says, as the new-customer and the edit forms ask it (`initial`: the
/// customer being edited).
#[component]
fn CustomerFields<A>(action: ServerAction<A>, initial: Option<CustomerView>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn<Output = (), Error = Problem> + Clone + Send + Sync + 'static,
{
    let on = move |field: &'static str| field_error(action, field);
    let general = form_error(action);
    let value = |text: Option<&str>| text.unwrap_or_default().to_string();
    let customer = initial.clone();
    let address = move |prefix: &'static str, legend: &'static str, required: bool| {
        let name = move |field: &str| format!("form[{prefix}_{field}]");
        let typed = customer.as_ref().map(|customer| match prefix {
            "billing" => customer.billing_address.clone(),
            _ => customer.shipping_address.clone(),
        });
        let typed = typed.unwrap_or_default();
        view! {
            <fieldset>
                <legend>{legend}</legend>
                <label>{t(Msg::CustomersStreet)} <input type="text" name=name("line1") value=typed.line1 required=required/></label>
                <label>{t(Msg::CustomersStreetSecondLine)} <input type="text" name=name("line2") value=typed.line2.unwrap_or_default()/></label>
                <label>{t(Msg::CustomersPostalCode)} <input type="text" name=name("postal_code") value=typed.postal_code required=required/></label>
                <label>{t(Msg::CustomersCity)} <input type="text" name=name("city") value=typed.city required=required/></label>
                <label>{t(Msg::CustomersCountry)} <input type="text" name=name("country") value=typed.country required=required/></label>
            </fieldset>
        }
    };
    let c = initial.as_ref();
    let language = c.map(|c| c.document_language);
    view! {
        <label>{t(Msg::CustomersName)} <input type="text" name="form[name]" value=value(c.map(|c| c.name.as_str())) required/></label>
        {on("name")}
        <label>{t(Msg::CustomersEmail)} <input type="email" name="form[email]" value=value(c.and_then(|c| c.email.as_deref()))/></label>
        {on("email")}
        <label>{t(Msg::CustomersCurrency)} <input type="text" name="form[currency]" size="4" maxlength="3"
            value=value(c.map(|c| c.currency.code())) required/></label>
        {on("currency")}
        <label>{t(Msg::CustomersTaxRegion)} <input type="text" name="form[tax_region]" placeholder="FR"
            value=value(c.map(|c| c.tax_region.as_str())) required/></label>
        {on("tax_region")}
        <label>{t(Msg::CustomersVatId)} <input type="text" name="form[vat_id]" placeholder="FR40303265045" maxlength="40"
            value=value(c.and_then(|c| c.vat_id.as_deref()))/></label>
        {on("vat_id")}
        <label>"SIREN" <input type="text" name="form[siren]" inputmode="numeric" placeholder="303 265 045" maxlength="20"
            value=value(c.and_then(|c| c.siren.as_deref()))/></label>
        {on("siren")}
        <label><input type="checkbox" name="form[consumer]" value="on" checked=c.is_some_and(|c| c.consumer)/>
            " " {t(Msg::CustomersConsumerChoice)}</label>
        <label>{t(Msg::CustomersDocumentsIn)}
            <select name="form[document_language]">
                <option value="" selected=language.is_none()>{t(Msg::CustomersTaxRegionLanguage)}</option>
                {Language::ALL.into_iter().map(|l| view! {
                    <option value=l.code() selected=language == Some(l)>{l.native_name()}</option>
                }).collect_view()}
            </select>
        </label>
        {on("document_language")}
        {address("billing", t(Msg::CustomersBillingAddress), true)}
        {address("shipping", t(Msg::CustomersShippingAddressBlank), false)}
        {general}
    }
}

/// The customer's details, as the new-customer form asks them, for those who may create
/// customers; opened on the customer's page (a `<details>`, so it works without JavaScript).
#[component]
fn EditCustomerForm(action: ServerAction<UpdateCustomer>, customer: CustomerView) -> impl IntoView {
    let id = customer.id;
    // Open again after a refusal, so the fields and their messages show.
    let refused = move || refusal(action).is_some();
    view! {
        <details class="edit-customer" open=refused>
            <summary>{t(Msg::CustomersEdit)}</summary>
            <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::CustomersEdit)>
                <input type="hidden" name="customer_id" value=id/>
                <CustomerFields action initial=Some(customer)/>
                <button type="submit" class="primary">{t(Msg::CustomersSave)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn CustomerDetailPage() -> impl IntoView {
    let id = path_id();
    let query = use_query_map();
    let portal = ServerAction::<SetCustomerPortal>::new();
    let reminders = ServerAction::<SetCustomerReminders>::new();
    let edit = ServerAction::<UpdateCustomer>::new();
    let request = move || {
        let query = query.read();
        (
            id(),
            query.get("tab"),
            query.get("after"),
            portal.version().get(),
            reminders.version().get(),
            edit.version().get(),
        )
    };
    let page = Resource::new(request, |(id, tab, after, _, _, _)| async move {
        match id {
            Some(id) => load_customer_page(id, tab, after).await,
            None => Err(Problem::not_found("The customer")),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p>{t(Msg::CustomersLoading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <CustomerDetail page portal reminders edit/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CustomerDetail(
    page: CustomerPage,
    portal: ServerAction<SetCustomerPortal>,
    reminders: ServerAction<SetCustomerReminders>,
    edit: ServerAction<UpdateCustomer>,
) -> impl IntoView {
    let language = use_language();
    let customer = page.customer;
    let schedule = match customer.reminder_days {
        Some(days) => tf(
            Msg::CustomersReminderSchedule,
            &[("days", &days.to_string())],
        ),
        None => t(Msg::CustomersOff).to_string(),
    };
    let schedule_form = page.viewer.may(Permission::WriteInvoices).then(|| {
        let days = customer.reminder_days.map(|days| days.to_string()).unwrap_or_default();
        view! {
            <ActionForm action=reminders attr:class="inline" attr:aria-label=t(Msg::CustomersReminderScheduleLabel)>
                <input type="hidden" name="customer_id" value=customer.id/>
                <label for="days_after_due">{t(Msg::CustomersDaysAfterDue)}</label>
                <input id="days_after_due" name="days_after_due" type="number" min="1" max="365"
                    inputmode="numeric" value=days/>
                <button type="submit">{t(Msg::CustomersSaveSchedule)}</button>
                {field_error(reminders, "days_after_due")}
                {form_error(reminders)}
            </ActionForm>
        }
    });
    // The editor opens with this customer chosen and its invoices offered as related.
    let new_note = page.viewer.may(Permission::WriteCreditNotes).then(|| {
        let href = format!("/credit-notes/new?customer_id={}", customer.id);
        view! { <p><A href=href>{t(Msg::CustomersNewCreditNote)}</A></p> }
    });
    let may_switch = page.viewer.may(Permission::CreateCustomer);
    let edit_form =
        may_switch.then(|| view! { <EditCustomerForm action=edit customer=customer.clone()/> });
    let portal_state = if customer.portal_enabled {
        t(Msg::CustomersOn)
    } else {
        t(Msg::CustomersOff)
    };
    let switch = may_switch.then(|| {
        let (value, label) = if customer.portal_enabled {
            ("off", t(Msg::CustomersPortalTurnOff))
        } else {
            ("on", t(Msg::CustomersPortalTurnOn))
        };
        view! {
            <ActionForm action=portal attr:class="inline">
                <input type="hidden" name="customer_id" value=customer.id/>
                <input type="hidden" name="enabled" value=value/>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    });
    let base = format!("/customers/{}", customer.id);
    let tab_link = |tab: CustomerTab, label: &'static str| {
        let current = (page.tab == tab).then_some("page");
        let href = format!("{base}?tab={}", tab.as_str());
        view! { <A href=href attr:aria-current=current>{label}</A> }
    };
    let remaining = if page.remaining.is_empty() {
        view! { <dd>{t(Msg::CustomersNone)}</dd> }.into_any()
    } else {
        page.remaining
            .iter()
            .map(|(currency, amount)| view! { <dd class="num">{format::money(language, *amount, *currency)}</dd> })
            .collect_view()
            .into_any()
    };
    let next = page
        .next_after
        .map(|after| format!("{base}?tab={}&after={after}", page.tab.as_str()));
    let address = |a: &crate::model::Address| {
        [
            Some(a.line1.clone()),
            a.line2.clone(),
            Some(format!("{} {}", a.postal_code, a.city)),
            Some(a.country.clone()),
        ]
        .into_iter()
        .flatten()
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    };
    let list = match page.tab {
        CustomerTab::Credits if page.notes.is_empty() => {
            view! { <p>{t(Msg::CustomersNoCreditNote)}</p> }.into_any()
        }
        CustomerTab::Credits => view! { <CreditNoteTable notes=page.notes/> }.into_any(),
        CustomerTab::Invoices if page.invoices.is_empty() => {
            view! { <p>{t(Msg::CustomersNoInvoice)}</p> }.into_any()
        }
        CustomerTab::Invoices => {
            view! { <InvoiceTable invoices=page.invoices caption=t(Msg::NavInvoices) staff=true/> }
                .into_any()
        }
    };
    view! {
        <p><A href="/customers">{t(Msg::CustomersAll)}</A></p>
        <h1>{customer.name.clone()}</h1>
        <dl class="facts">
            <dt>{t(Msg::CustomersEmail)}</dt><dd>{customer.email.clone().unwrap_or_default()}</dd>
            <dt>{t(Msg::CustomersCurrency)}</dt><dd>{customer.currency.code()}</dd>
            <dt>{t(Msg::CustomersTaxRegion)}</dt><dd>{customer.tax_region.clone()}</dd>
            <dt>{t(Msg::CustomersVatId)}</dt><dd>{customer.vat_id.clone().unwrap_or_default()}</dd>
            <dt>"SIREN"</dt><dd>{customer.siren.clone().unwrap_or_default()}</dd>
            <dt>{t(Msg::CustomersKind)}</dt><dd>{if customer.consumer { t(Msg::CustomersPrivatePerson) } else { t(Msg::CustomersBusiness) }}</dd>
            <dt>{t(Msg::CustomersBillingAddress)}</dt><dd>{address(&customer.billing_address)}</dd>
            <dt>{t(Msg::CustomersShippingAddress)}</dt><dd>{address(&customer.shipping_address)}</dd>
            <dt>{t(Msg::CustomersDocumentsIn)}</dt><dd>{customer.document_language.native_name()}</dd>
            <dt>{t(Msg::CustomersCreditRemaining)}</dt>{remaining}
            <dt>{t(Msg::CustomersPortal)}</dt><dd>{portal_state} {switch}</dd>
            <dt>{t(Msg::CustomersPaymentReminders)}</dt><dd>{schedule} {schedule_form}</dd>
        </dl>
        {edit_form}
        <nav class="tabs" aria-label=t(Msg::CustomersCustomer)>
            {tab_link(CustomerTab::Credits, t(Msg::CustomersTabCredits))}
            {tab_link(CustomerTab::Invoices, t(Msg::NavInvoices))}
        </nav>
        {new_note}
        {list}
        <nav class="paging" aria-label=t(Msg::CommonPages)>
            {next.map(|href| view! { <A href=href>{t(Msg::CommonNextPage)}</A> })}
        </nav>
    }
}
