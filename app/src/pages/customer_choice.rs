//! The customer of a document being edited: a list of every customer, and, once the page's
//! code runs, a search box that narrows it as the user types (name, currency or tax region).
//! Without JavaScript the list alone works.

use leptos::prelude::*;

use crate::model::CustomerView;

/// Whether `customer` matches what was typed: every word, in any order, case aside.
pub fn matches(customer: &CustomerView, typed: &str) -> bool {
    let haystack = format!(
        "{} {} {}",
        customer.name,
        customer.currency.code(),
        customer.tax_region
    )
    .to_lowercase();
    typed
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

#[component]
pub fn CustomerChoice(
    customers: Vec<CustomerView>,
    /// The chosen customer's id as the form holds it (blank: none yet).
    chosen: String,
    /// Told each time the user picks a customer.
    on_choose: Callback<Option<i64>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <label hidden=move || !hydrated.get()>"Search by name, currency or region"
            <input type="search"
                on:input=move |ev| typed.set(event_target_value(&ev))/>
        </label>
        <label>"Customer"
            <select name="form[customer_id]" required on:change=move |ev| {
                on_choose.run(event_target_value(&ev).parse().ok());
            }>
                <option value="">"Choose…"</option>
                {customers.into_iter().map(|customer| {
                    let value = customer.id.to_string();
                    let selected = value == chosen;
                    let label = format!("{} ({})", customer.name, customer.currency.code());
                    view! {
                        <option value=value selected=selected
                            hidden=move || !selected && !typed.with(|t| matches(&customer, t))>{label}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typed_word_must_match_in_any_order() {
        let customer = CustomerView {
            id: 1,
            name: "Łódź Meble Sp. z o.o.".into(),
            email: None,
            currency: crate::domain::Currency::parse("PLN").unwrap(),
            tax_region: "PL".into(),
            vat_id: None,
            billing_address: Default::default(),
            shipping_address: Default::default(),
            portal_enabled: false,
            reminder_days: None,
            created_at: chrono::Utc::now(),
        };
        assert!(matches(&customer, ""));
        assert!(matches(&customer, "meble łódź"));
        assert!(matches(&customer, "pln"));
        assert!(!matches(&customer, "meble eur"));
    }
}
