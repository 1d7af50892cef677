//! Settings (administrators): the tax table, region × category → rate, which proposes the rate
//! of each new line. The whole table is one form; blank a row to remove its rule, fill a spare
//! row to add one. Refusals show on their row.

use leptos::prelude::*;

use super::{ProblemMessage, refusal};
use crate::model::SettingsPage;
use crate::rpc::settings::{SaveTaxTable, load_settings, rule_field};

/// Blank rows offered under the table for new rules.
const SPARE_ROWS: usize = 3;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveTaxTable>::new();
    let page = Resource::new(move || save.version().get(), |_| load_settings());
    view! {
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p>"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! { <TaxTableForm page save/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TaxTableForm(page: SettingsPage, save: ServerAction<SaveTaxTable>) -> impl IntoView {
    let rules = page.tax_table.rules;
    let rows = rules.len() + SPARE_ROWS;
    let error = move |row: usize, field: &'static str| {
        move || {
            refusal(save)
                .and_then(|p| {
                    p.field_message(&rule_field(row, field).to_string())
                        .map(str::to_string)
                })
                .map(|message| view! { <span class="field-error" role="alert">{message}</span> })
        }
    };
    let general = move || {
        refusal(save)
            .filter(|p| p.errors.is_empty())
            .map(|p| view! { <p class="problem" role="alert">{p.detail}</p> })
    };
    view! {
        <h2>"Tax table"</h2>
        <p class="hint">"The rate proposed for a line: the customer's tax region and the line's category. Blank a row to remove it."</p>
        <ActionForm action=save attr:class="tax-table" attr:aria-label="Tax table">
            <table class="grid">
                <caption class="visually-hidden">"Tax rates"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Category"</th>
                        <th scope="col">"Rate (%)"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..rows).map(|row| {
                        let rule = rules.get(row);
                        let text = |value: Option<String>| value.unwrap_or_default();
                        let name = move |field: &str| format!("rules[{row}][{field}]");
                        let label = |what: &str| format!("{what}, row {}", row + 1);
                        view! {
                            <tr>
                                <td>
                                    <input type="text" name=name("region") aria-label=label("Region") value=text(rule.map(|r| r.region.clone()))/>
                                    {error(row, "region")}
                                </td>
                                <td>
                                    <input type="text" name=name("category") aria-label=label("Category") value=text(rule.map(|r| r.category.clone()))/>
                                    {error(row, "category")}
                                </td>
                                <td>
                                    <input type="text" inputmode="decimal" name=name("rate") aria-label=label("Rate") value=text(rule.map(|r| r.rate.normalize().to_string()))/>
                                    {error(row, "rate")}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {general}
            <button type="submit" class="primary">"Save tax table"</button>
        </ActionForm>
    }
}
