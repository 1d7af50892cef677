//! A customer field. A customer base holds thousands of customers, so no page lists them all:
//! the field offers the customer it holds and the first matches of a search, found on the
//! server. Once the page's code runs, the list is asked again as the user types; without
//! JavaScript the search box submits `?customer_q=` (with the page's other parameters) and the
//! page comes back with the matches.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{Msg, t};
use crate::model::CustomerView;
use crate::rpc::customers::search_customers;

/// The URL parameter of a customer search.
pub const SEARCH_PARAM: &str = "customer_q";

/// The id of the search form of an editor's customer field.
pub const SEARCH_FORM: &str = "customer-search";

/// What was searched for, as the page's URL says.
pub fn searched() -> String {
    use_query_map()
        .read_untracked()
        .get(SEARCH_PARAM)
        .unwrap_or_default()
}

/// The GET form an editor's search box belongs to (`form="customer-search"`): forms do not
/// nest, so it stands before the editor's own form, empty but for the URL parameters the page
/// keeps (`keep`). With JavaScript the box searches as the user types and never submits.
#[component]
pub fn CustomerSearchForm(keep: &'static [&'static str]) -> impl IntoView {
    let query = use_query_map();
    let kept: Vec<(&'static str, String)> = keep
        .iter()
        .filter_map(|name| Some((*name, query.read_untracked().get(name)?)))
        .collect();
    view! {
        <form id=SEARCH_FORM method="get" on:submit=|ev| ev.prevent_default()>
            {kept.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
        </form>
    }
}

#[component]
pub fn CustomerChoice(
    /// The customer it holds first and the first matches of the page's search.
    customers: Vec<CustomerView>,
    /// The chosen customer's id as the form holds it (blank: none yet).
    chosen: String,
    /// The field's name in its form.
    #[prop(default = "form[customer_id]")]
    field: &'static str,
    #[prop(default = t(Msg::CustomersCustomer))] label: &'static str,
    /// What the empty choice says.
    #[prop(default = t(Msg::CustomersChoose))]
    blank: &'static str,
    #[prop(default = true)] required: bool,
    /// The GET form the search box belongs to when the field's own form posts (see
    /// [`CustomerSearchForm`]); none when the field's form is itself a GET form.
    #[prop(optional)]
    search_form: Option<&'static str>,
    /// Told each time the user picks a customer.
    #[prop(optional)]
    on_choose: Option<Callback<Option<CustomerView>>>,
) -> impl IntoView {
    let options = RwSignal::new(customers);
    let selected = RwSignal::new(chosen.parse::<i64>().ok());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let search = move |typed: String| {
        leptos::task::spawn_local(async move {
            if let Ok(found) = search_customers(typed, selected.get_untracked()).await {
                options.set(found);
            }
        });
    };
    view! {
        <label>{t(Msg::CustomersSearchLabel)}
            <input type="search" name=SEARCH_PARAM form=search_form value=searched() autocomplete="off"
                on:input=move |ev| search(event_target_value(&ev))/>
        </label>
        {search_form.map(|form| view! {
            <button type="submit" form=form hidden=move || hydrated.get()>{t(Msg::CustomersSearch)}</button>
        })}
        <label>{label}
            <select name=field required=required on:change=move |ev| {
                let id = event_target_value(&ev).parse::<i64>().ok();
                selected.set(id);
                if let Some(on_choose) = on_choose {
                    let customer = options.with_untracked(|list| list.iter().find(|c| Some(c.id) == id).cloned());
                    on_choose.run(customer);
                }
            }>
                <option value="">{blank}</option>
                {move || options.get().into_iter().map(|customer| {
                    let label = format!("{} ({})", customer.name, customer.currency.code());
                    let id = customer.id;
                    view! {
                        <option value=id.to_string() selected=move || selected.get() == Some(id)>{label}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}
