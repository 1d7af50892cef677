//! The line rows of a document editor (credit note or invoice): description, quantity, unit
//! price, discount, tax rate, ship date, what the line sells and why it is taxed as it is,
//! posted as `form[lines][i][field]`, each refusal on its row, and the document total
//! previewed live by the shared domain, as the server will compute it.

use leptos::prelude::*;

use crate::domain::{Currency, LineNature, TaxTable, VatCategory};
use crate::i18n::{Language, Msg, format, tr, trf, use_language};
use crate::problem::Problem;
use crate::rpc::new_credit_note::{LineRowInput, STANDARD_CATEGORY, parse_rows, preview_total};

/// How many line rows an editor offers beyond the document's own; blank ones are ignored.
const SPARE_ROWS: usize = 2;
/// The fewest rows an editor shows.
const MIN_ROWS: usize = 5;

/// One signal per row: the document's lines, then blank rows to add more.
pub fn row_signals(lines: &[LineRowInput]) -> Vec<RwSignal<LineRowInput>> {
    lines
        .iter()
        .cloned()
        .chain(std::iter::repeat_with(LineRowInput::default))
        .take(MIN_ROWS.max(lines.len() + SPARE_ROWS))
        .map(RwSignal::new)
        .collect()
}

/// What the preview and the proposed rate need to know of the chosen customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pricing {
    pub currency: Currency,
    pub tax_region: String,
}

/// The rows as a table, the refusals on their rows, and the live total (`noun` names the
/// document: "Invoice" for an invoice, anything else for a credit note; its caption and total
/// are said in the page's language).
#[component]
pub fn LineTable(
    noun: &'static str,
    rows: Vec<RwSignal<LineRowInput>>,
    #[prop(into)] problem: Signal<Option<Problem>>,
    #[prop(into)] pricing: Signal<Option<Pricing>>,
    table: TaxTable,
) -> impl IntoView {
    let language = use_language();
    let preview_rows = rows.clone();
    let preview_table = table.clone();
    let preview = Memo::new(move |_| {
        let pricing = pricing.get()?;
        let inputs: Vec<LineRowInput> = preview_rows.iter().map(|row| row.get()).collect();
        let lines = parse_rows(&inputs, pricing.currency).ok()?;
        if lines.is_empty() {
            return None;
        }
        let total = preview_total(
            &lines,
            pricing.currency,
            &preview_table,
            &pricing.tax_region,
        )?;
        Some(format::money(language, total, pricing.currency))
    });
    // The rate the table proposes for the customer, shown where no rate is typed.
    let proposed_rate = Signal::derive(move || {
        let pricing = pricing.get()?;
        table
            .rate(&pricing.tax_region, STANDARD_CATEGORY)
            .map(|rate| {
                trf(
                    language,
                    Msg::InvoicesLinesProposedRate,
                    &[("rate", &format::decimal(language, rate))],
                )
            })
    });
    let invoice = noun == "Invoice";
    let (caption, total_label, total_text) = if invoice {
        (
            Msg::InvoicesLinesCaptionInvoice,
            Msg::InvoicesLinesTotalInvoice,
            Msg::InvoicesLinesTotalInvoiceLabel,
        )
    } else {
        (
            Msg::InvoicesLinesCaptionCreditNote,
            Msg::InvoicesLinesTotalCreditNote,
            Msg::InvoicesLinesTotalCreditNoteLabel,
        )
    };
    let (caption, total_label, total_text) = (
        tr(language, caption),
        tr(language, total_label),
        tr(language, total_text),
    );
    view! {
        <table class="grid">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(language, Msg::InvoicesLinesDescription)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesQuantity)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesUnitPrice)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesDiscount)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesTax)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesShipDate)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesSells)}</th>
                    <th scope="col">{tr(language, Msg::InvoicesLinesVat)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().enumerate().map(|(index, row)| {
                    line_row(language, index, row, problem, proposed_rate)
                }).collect_view()}
            </tbody>
        </table>
        {move || problem.get().and_then(|p| p.field_message("lines").map(str::to_string)).map(|message| view! {
            <span class="field-error" role="alert">{message}</span>
        })}
        <p class="preview" aria-live="polite">
            {move || preview.get().map(|total| view! {
                <span>{total_text} " " <output aria-label=total_label>{total}</output></span>
            })}
        </p>
    }
}

fn line_row(
    language: Language,
    index: usize,
    row: RwSignal<LineRowInput>,
    problem: Signal<Option<Problem>>,
    proposed_rate: Signal<Option<String>>,
) -> impl IntoView {
    let name = move |field: &str| format!("form[lines][{index}][{field}]");
    let label = move |message: Msg| trf(language, message, &[("line", &(index + 1).to_string())]);
    let messages = move || {
        problem
            .get()
            .map(|p| {
                p.item_messages("lines", index)
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    // Each input writes its own field of the row's signal.
    let start = row.get_untracked();
    let input = move |field: &'static str, initial: String, set: fn(&mut LineRowInput, String)| {
        view! {
            <input
                type="text"
                name=name(field)
                value=initial
                aria-label=label(field_label(field))
                on:input=move |ev| row.update(|r| set(r, event_target_value(&ev)))
            />
        }
    };
    view! {
        <tr>
            <td>{input("description", start.description.clone(), |r, v| r.description = v)}</td>
            <td>{input("quantity", start.quantity.clone(), |r, v| r.quantity = v)}</td>
            <td>{input("unit_price", start.unit_price.clone(), |r, v| r.unit_price = v)}</td>
            <td>{input("discount", start.discount.clone(), |r, v| r.discount = v)}</td>
            <td>
                <input
                    type="text"
                    name=name("tax_rate")
                    value=start.tax_rate.clone()
                    aria-label=label(Msg::InvoicesLinesTaxOfLine)
                    placeholder=move || proposed_rate.get().unwrap_or_default()
                    on:input=move |ev| row.update(|r| r.tax_rate = event_target_value(&ev))
                />
                {move || messages().into_iter().map(|m| view! { <span class="field-error">{m}</span> }).collect_view()}
            </td>
            <td>
                <input
                    type="date"
                    name=name("ship_date")
                    value=start.ship_date.clone()
                    aria-label=label(Msg::InvoicesLinesShipDateOfLine)
                    on:input=move |ev| row.update(|r| r.ship_date = event_target_value(&ev))
                />
            </td>
            <td>
                <select name=name("nature") aria-label=label(Msg::InvoicesLinesSellsOfLine)>
                    <option value="" selected=start.nature.is_empty()>{tr(language, Msg::InvoicesLinesAsSeller)}</option>
                    {LineNature::ALL.into_iter().map(|nature| view! {
                        <option value=nature.as_str() selected=start.nature == nature.as_str()>{tr(language, nature_label(nature))}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <select name=name("vat_category") aria-label=label(Msg::InvoicesLinesVatCategoryOfLine)>
                    <option value="" selected=start.vat_category.is_empty()>{tr(language, Msg::InvoicesLinesByRate)}</option>
                    {VatCategory::ALL.into_iter().map(|category| view! {
                        <option value=category.as_str() selected=start.vat_category == category.as_str()>{tr(language, category_label(category))}</option>
                    }).collect_view()}
                </select>
                <input
                    type="text"
                    name=name("vat_exemption_reason")
                    value=start.vat_exemption_reason.clone()
                    aria-label=label(Msg::InvoicesLinesExemptionOfLine)
                    placeholder=tr(language, Msg::InvoicesLinesExemptionPlaceholder)
                />
            </td>
        </tr>
    }
}

/// How a text field of a row is named to people, with its line's number.
fn field_label(field: &str) -> Msg {
    match field {
        "description" => Msg::InvoicesLinesDescriptionOfLine,
        "quantity" => Msg::InvoicesLinesQuantityOfLine,
        "unit_price" => Msg::InvoicesLinesUnitPriceOfLine,
        "discount" => Msg::InvoicesLinesDiscountOfLine,
        _ => Msg::InvoicesLinesTaxOfLine,
    }
}

fn nature_label(nature: LineNature) -> Msg {
    match nature {
        LineNature::Goods => Msg::InvoicesLinesNatureGoods,
        LineNature::Services => Msg::InvoicesLinesNatureServices,
    }
}

fn category_label(category: VatCategory) -> Msg {
    match category {
        VatCategory::Standard => Msg::InvoicesLinesVatStandard,
        VatCategory::ZeroRated => Msg::InvoicesLinesVatZeroRated,
        VatCategory::Exempt => Msg::InvoicesLinesVatExempt,
        VatCategory::ReverseCharge => Msg::InvoicesLinesVatReverseCharge,
        VatCategory::IntraCommunity => Msg::InvoicesLinesVatIntraCommunity,
        VatCategory::Export => Msg::InvoicesLinesVatExport,
    }
}
