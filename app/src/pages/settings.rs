//! Settings (administrators): the tax table, region × category → rate, which proposes the rate
//! of each new line (one form; blank a row to remove its rule, fill a spare row to add one;
//! refusals show on their row); the seller's details and the PDF templates that documents
//! print with; and the users: create, change a staff role, reset a password, deactivate.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, CustomerSearchForm, SEARCH_FORM, searched};
use super::{ProblemMessage, field_error, form_error, problem_view, refusal};
use crate::domain::{OperationNature, Role, VatCategory};
use crate::model::{
    BooksClosing, CustomerView, SellerProfile, SettingsPage, TemplateSetting, UserSummary,
};
use crate::rpc::settings::{
    ChangeUserRole, CloseBooks, CreateUser, DeactivateUser, RemoveLogo, ResetTemplate,
    ResetUserPassword, SaveAccounts, SaveExchangeRate, SaveSeller, SaveTaxTable, SaveTemplate,
    UseChart, load_settings, rule_field, template_field,
};

/// The page's forms; their versions reload the page after each post.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveTaxTable>,
    create_user: ServerAction<CreateUser>,
    change_role: ServerAction<ChangeUserRole>,
    deactivate: ServerAction<DeactivateUser>,
    reset_password: ServerAction<ResetUserPassword>,
    save_seller: ServerAction<SaveSeller>,
    remove_logo: ServerAction<RemoveLogo>,
    save_accounts: ServerAction<SaveAccounts>,
    use_chart: ServerAction<UseChart>,
    close_books: ServerAction<CloseBooks>,
    save_rate: ServerAction<SaveExchangeRate>,
    save_template: ServerAction<SaveTemplate>,
    reset_template: ServerAction<ResetTemplate>,
}

/// Blank rows offered under the table for new rules.
const SPARE_ROWS: usize = 3;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let actions = Actions {
        save: ServerAction::new(),
        create_user: ServerAction::new(),
        change_role: ServerAction::new(),
        deactivate: ServerAction::new(),
        reset_password: ServerAction::new(),
        save_seller: ServerAction::new(),
        remove_logo: ServerAction::new(),
        save_accounts: ServerAction::new(),
        use_chart: ServerAction::new(),
        close_books: ServerAction::new(),
        save_rate: ServerAction::new(),
        save_template: ServerAction::new(),
        reset_template: ServerAction::new(),
    };
    let customer_q = searched();
    let page = Resource::new(
        move || {
            [
                actions.save.version().get(),
                actions.create_user.version().get(),
                actions.change_role.version().get(),
                actions.deactivate.version().get(),
                actions.reset_password.version().get(),
                actions.save_seller.version().get(),
                actions.remove_logo.version().get(),
                actions.save_accounts.version().get(),
                actions.use_chart.version().get(),
                actions.close_books.version().get(),
                actions.save_rate.version().get(),
                actions.save_template.version().get(),
                actions.reset_template.version().get(),
            ]
        },
        move |_| load_settings(customer_q.clone()),
    );
    // A refused logo upload (a plain form post) comes back in the address.
    let query = use_query_map();
    view! {
        <h1>"Settings"</h1>
        <Suspense fallback=|| view! { <p>"Loading settings…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(problem) => view! { <ProblemMessage problem/> }.into_any(),
                    Ok(page) => view! {
                        <TaxTableForm rules=page.tax_table.rules.clone() save=actions.save/>
                        <SellerForm seller=page.seller.clone() action=actions.save_seller/>
                        <LogoForm
                            has_logo=page.seller.logo_media_type.is_some()
                            upload_error=query.read().get("upload_error")
                            remove=actions.remove_logo
                        />
                        <Templates templates=page.templates.clone() actions/>
                        <AccountsForm chart=page.accounts.clone() action=actions.save_accounts/>
                        <ChartPresets action=actions.use_chart/>
                        <ClosingForm closing=page.closing.clone() action=actions.close_books/>
                        <ExchangeRates
                            rates=page.exchange_rates.clone()
                            action=actions.save_rate
                            upload_error=query.read().get("rates_error")
                        />
                        <Users page actions/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TaxTableForm(
    rules: Vec<crate::domain::TaxRule>,
    save: ServerAction<SaveTaxTable>,
) -> impl IntoView {
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
        <p class="hint">"The rate proposed for a line: the customer's tax region and the line's category. A 0 % rule says why no VAT is charged (exempt, reverse charge, intra-EU supply, export) and the mention its lines print. Blank a row to remove it."</p>
        <ActionForm action=save attr:class="tax-table" attr:aria-label="Tax table">
            <table class="grid">
                <caption class="visually-hidden">"Tax rates"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Category"</th>
                        <th scope="col">"Rate (%)"</th>
                        <th scope="col">"VAT category"</th>
                        <th scope="col">"Exemption mention"</th>
                        <th scope="col">"Revenue account (if its own)"</th>
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
                                <td>
                                    <select name=name("vat_category") aria-label=label("VAT category")>
                                        <option value="" selected=rule.is_none_or(|r| r.vat_category.is_none())>"By rate"</option>
                                        {VatCategory::ALL.into_iter().map(|category| view! {
                                            <option value=category.as_str() selected=rule.is_some_and(|r| r.vat_category == Some(category))>
                                                {category.label()}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                    {error(row, "vat_category")}
                                </td>
                                <td>
                                    <input type="text" name=name("vat_exemption_reason") aria-label=label("Exemption mention") placeholder="e.g. Exonération de TVA, article 261-4-4° du CGI" value=text(rule.and_then(|r| r.vat_exemption_reason.clone()))/>
                                    {error(row, "vat_exemption_reason")}
                                </td>
                                <td>
                                    <input type="text" inputmode="numeric" name=name("revenue_account") aria-label=label("Revenue account") placeholder="706100" value=text(rule.and_then(|r| r.revenue_account.as_ref().map(|a| a.code.clone())))/>
                                    {error(row, "revenue_account.code")}
                                    <input type="text" name=name("revenue_account_label") aria-label=label("Revenue account name") placeholder="Prestations de services export" value=text(rule.and_then(|r| r.revenue_account.as_ref().map(|a| a.label.clone())))/>
                                    {error(row, "revenue_account.label")}
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

/// The users: each with its role and status; staff roles change in place, and anyone but the
/// viewer themself can be deactivated. A new user gets a role, and customer users a customer.
#[component]
fn Users(page: SettingsPage, actions: Actions) -> impl IntoView {
    let me = page.viewer.id;
    let row = move |user: UserSummary| {
        let active = user.deactivated_at.is_none();
        let editable = active && user.id != me;
        let status = match user.deactivated_at {
            Some(at) => format!("Deactivated {}", at.date_naive()),
            None => "Active".to_string(),
        };
        let role_cell = if editable && user.role.is_internal() {
            let label = format!("Role of {}", user.email);
            view! {
                <ActionForm action=actions.change_role attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <select name="role" aria-label=label>
                        {Role::ALL.iter().filter(|r| r.is_internal()).map(|r| view! {
                            <option value=r.as_str() selected=*r == user.role>{r.as_str().replace('_', " ")}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">"Change role"</button>
                </ActionForm>
            }
            .into_any()
        } else {
            user.role.as_str().replace('_', " ").into_any()
        };
        let deactivate = editable.then(|| {
            let label = format!("Deactivate {}", user.email);
            view! {
                <ActionForm action=actions.deactivate attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <button type="submit" class="danger" aria-label=label>"Deactivate"</button>
                </ActionForm>
            }
        });
        // A temporary password the user must replace at their next sign-in.
        let reset = editable.then(|| {
            let label = format!("Temporary password for {}", user.email);
            view! {
                <ActionForm action=actions.reset_password attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <input type="password" name="password" autocomplete="new-password" minlength="10" required aria-label=label/>
                    <button type="submit">"Reset password"</button>
                </ActionForm>
            }
        });
        view! {
            <tr>
                <td>{user.email.clone()}</td>
                <td>{role_cell}</td>
                <td>{user.customer_name.clone().unwrap_or_default()}</td>
                <td>{status}</td>
                <td>{deactivate} {reset}</td>
            </tr>
        }
    };
    let problem = move || {
        refusal(actions.change_role)
            .or_else(|| refusal(actions.deactivate))
            .or_else(|| refusal(actions.reset_password))
    };
    view! {
        <h2>"Users"</h2>
        {move || problem_view(problem(), "")}
        <table class="grid">
            <caption class="visually-hidden">"Users"</caption>
            <thead>
                <tr>
                    <th scope="col">"E-mail"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Customer"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Action"</th>
                </tr>
            </thead>
            <tbody>{page.users.into_iter().map(row).collect_view()}</tbody>
        </table>
        <NewUserForm customers=page.customers action=actions.create_user/>
    }
}

#[component]
fn NewUserForm(customers: Vec<CustomerView>, action: ServerAction<CreateUser>) -> impl IntoView {
    let on = move |field: &'static str| field_error(action, field);
    let general = form_error(action);
    view! {
        <CustomerSearchForm keep=&[]/>
        <ActionForm action attr:class="customer-form" attr:aria-label="New user">
            <h3>"New user"</h3>
            <label>"E-mail" <input type="email" name="email" required/></label>
            {on("email")}
            <label>"Password" <input type="password" name="password" autocomplete="new-password" required/></label>
            {on("password")}
            <label>"Role"
                <select name="role">
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == Role::Viewer>{r.as_str().replace('_', " ")}</option>
                    }).collect_view()}
                </select>
            </label>
            {on("role")}
            <CustomerChoice customers chosen=String::new() field="customer_id"
                label="Customer (customer users only)" blank="None" required=false search_form=SEARCH_FORM/>
            {on("customer_id")}
            {general}
            <button type="submit" class="primary">"Create user"</button>
        </ActionForm>
    }
}

/// The seller's details, printed on every document (EU VAT Directive art. 226; Code de
/// commerce art. R123-237).
#[component]
fn SellerForm(seller: SellerProfile, action: ServerAction<SaveSeller>) -> impl IntoView {
    let on = move |field: &'static str| field_error(action, field);
    let general = form_error(action);
    let address = seller.address.clone();
    let identity = seller.legal_identity.clone();
    let regime = seller.vat_regime;
    let text = |value: Option<String>| value.unwrap_or_default();
    view! {
        <h2>"Seller"</h2>
        <p class="hint">"Who issues the documents: printed on every PDF."</p>
        <ActionForm action attr:class="customer-form" attr:aria-label="Seller">
            <label>"Name" <input type="text" name="form[name]" value=seller.name.clone() required/></label>
            {on("name")}
            <label>"Address" <input type="text" name="form[line1]" value=address.line1.clone()/></label>
            {on("address.line1")}
            <label>"Address, second line" <input type="text" name="form[line2]" value=text(address.line2.clone())/></label>
            {on("address.line2")}
            <label>"Postal code" <input type="text" name="form[postal_code]" value=address.postal_code.clone()/></label>
            {on("address.postal_code")}
            <label>"City" <input type="text" name="form[city]" value=address.city.clone()/></label>
            {on("address.city")}
            <label>"Country" <input type="text" name="form[country]" value=address.country.clone()/></label>
            {on("address.country")}
            <label>"VAT id" <input type="text" name="form[vat_id]" value=text(seller.vat_id.clone())/></label>
            {on("vat_id")}
            <label>"IBAN" <input type="text" name="form[iban]" value=text(seller.iban.clone())/></label>
            {on("iban")}
            <label>"E-mail" <input type="email" name="form[email]" value=text(seller.email.clone())/></label>
            {on("email")}
            <p class="hint">"Every document issued states the seller's legal form, share capital and registration (Code de commerce art. R123-237): nothing is issued until they are given. SIREN and RCS city for a company registered in France."</p>
            <label>"Legal form" <input type="text" name="form[legal_form]" value=text(identity.legal_form.clone()) placeholder="SAS"/></label>
            {on("legal_identity.legal_form")}
            <label>"Share capital" <input type="text" name="form[share_capital]" value=text(identity.share_capital.clone()) placeholder="10 000,00 EUR"/></label>
            {on("legal_identity.share_capital")}
            <label>"SIREN" <input type="text" name="form[siren]" value=text(identity.siren.clone()) inputmode="numeric"/></label>
            {on("legal_identity.siren")}
            <label>"SIRET" <input type="text" name="form[siret]" value=text(identity.siret.clone()) inputmode="numeric"/></label>
            {on("legal_identity.siret")}
            <label>"RCS city" <input type="text" name="form[rcs_city]" value=text(identity.rcs_city.clone()) placeholder="Paris"/></label>
            {on("legal_identity.rcs_city")}
            <p class="hint">"Documents say what they are and how VAT is paid (the 2026 e-invoicing reform, décret n° 2022-1299). Each document states what its own lines sell; the operations below are what a line sells when it does not say, and what a document without lines states. Without the option for debits, the VAT of services waits on 445740 until they are paid."</p>
            <label>"Operations"
                <select name="form[operations]">
                    <option value="" selected=regime.operations.is_none()>"Not stated"</option>
                    {OperationNature::ALL.into_iter().map(|nature| view! {
                        <option value=nature.as_str() selected=regime.operations == Some(nature)>{nature.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <input type="checkbox" name="form[vat_on_debits]" value="on" checked=regime.on_debits/>
                "VAT paid on debits (option of CGI art. 269-2-c)"
            </label>
            <label>"Fiscal year ends (MM-DD)"
                <input type="text" name="form[fiscal_year_end]" value=text(seller.fiscal_year_end.clone()) placeholder="12-31" size="5"/>
            </label>
            {on("fiscal_year_end")}
            <p class="hint">"Invoices state their payment terms (Code de commerce art. L441-9), and the fixed indemnity of 40 EUR for recovery costs. Blank: the legal default."</p>
            <label>"Late-payment penalty rate"
                <input type="text" name="form[late_payment_penalty]" value=text(seller.late_payment_penalty.clone())
                    placeholder=crate::model::DEFAULT_LATE_PAYMENT_PENALTY/>
            </label>
            {on("late_payment_penalty")}
            <label>"Early-payment discount"
                <input type="text" name="form[early_payment_discount]" value=text(seller.early_payment_discount.clone())
                    placeholder=crate::model::DEFAULT_EARLY_PAYMENT_DISCOUNT/>
            </label>
            {on("early_payment_discount")}
            {general}
            <button type="submit" class="primary">"Save seller"</button>
        </ActionForm>
    }
}

/// The logo printed at the head of every document: a plain multipart form (it works without
/// JavaScript), and a way back to no logo.
#[component]
fn LogoForm(
    has_logo: bool,
    upload_error: Option<String>,
    remove: ServerAction<RemoveLogo>,
) -> impl IntoView {
    view! {
        <h3>"Logo"</h3>
        {if has_logo {
            view! {
                <img class="logo-preview" src="/settings/logo" alt="The seller's logo"/>
                <ActionForm action=remove attr:class="inline">
                    <button type="submit" class="danger">"Remove the logo"</button>
                </ActionForm>
                {move || problem_view(refusal(remove), "")}
            }.into_any()
        } else {
            view! { <p>"Documents print without a logo."</p> }.into_any()
        }}
        <form method="post" action="/settings/logo" enctype="multipart/form-data" class="upload" aria-label="Logo">
            <label>"Logo file (PNG or JPEG, at most 1 MiB)"
                <input type="file" name="file" accept="image/png,image/jpeg,.png,.jpg,.jpeg" required/>
            </label>
            {upload_error.map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit">"Upload logo"</button>
        </form>
    }
}

/// The accounts journal entries are written to: a number and a name each.
#[component]
fn AccountsForm(
    chart: crate::domain::journal::ChartOfAccounts,
    action: ServerAction<SaveAccounts>,
) -> impl IntoView {
    let general = form_error(action);
    // Each account: its form name, where a refusal of its number and its name lands, its title.
    const FIELDS: [(&str, &str, &str, &str); 11] = [
        (
            "receivable",
            "receivable.code",
            "receivable.label",
            "Receivable",
        ),
        (
            "customer_credit",
            "customer_credit.code",
            "customer_credit.label",
            "Customer credits",
        ),
        (
            "revenue",
            "revenue.code",
            "revenue.label",
            "Services revenue",
        ),
        (
            "revenue_goods",
            "revenue_goods.code",
            "revenue_goods.label",
            "Goods revenue",
        ),
        (
            "discounts",
            "discounts.code",
            "discounts.label",
            "Discounts granted",
        ),
        (
            "vat_payable",
            "vat_payable.code",
            "vat_payable.label",
            "VAT payable (other rates)",
        ),
        (
            "vat_pending",
            "vat_pending.code",
            "vat_pending.label",
            "VAT awaiting payment",
        ),
        ("bank", "bank.code", "bank.label", "Bank"),
        (
            "write_off",
            "write_off.code",
            "write_off.label",
            "Voided credit",
        ),
        (
            "exchange_loss",
            "exchange_loss.code",
            "exchange_loss.label",
            "Exchange losses",
        ),
        (
            "exchange_gain",
            "exchange_gain.code",
            "exchange_gain.label",
            "Exchange gains",
        ),
    ];
    view! {
        <h2>"Accounts"</h2>
        <p class="hint">"The accounts journal entries are written to; entries already written keep theirs."</p>
        <ActionForm action attr:class="customer-form" attr:aria-label="Accounts">
            {chart.accounts().into_iter().zip(FIELDS).map(|((_, account), (name, code_field, label_field, title))| {
                view! {
                    <label>{format!("{title} account")}
                        <input type="text" inputmode="numeric" name=format!("form[{name}_code]") value=account.code.clone() required/>
                    </label>
                    {field_error(action, code_field)}
                    <label>{format!("{title} account name")}
                        <input type="text" name=format!("form[{name}_label]") value=account.label.clone() required/>
                    </label>
                    {field_error(action, label_field)}
                }
            }).collect_view()}
            <table class="grid">
                <caption>"VAT account of each rate"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Rate (%)"</th>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Account name"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..chart.vat_rates.len() + SPARE_ROWS).map(|row| {
                        let rate = chart.vat_rates.get(row);
                        let name = move |field: &str| format!("form[vat_rates][{row}][{field}]");
                        let label = |what: &str| format!("{what}, rate row {}", row + 1);
                        let error = move |field: &str| field_error(action, format!("vat_rates[{row}].{field}"));
                        view! {
                            <tr>
                                <td>
                                    <input type="text" inputmode="decimal" name=name("rate") aria-label=label("Rate") value=rate.map(|r| r.rate.normalize().to_string()).unwrap_or_default()/>
                                    {error("rate")}
                                </td>
                                <td>
                                    <input type="text" inputmode="numeric" name=name("code") aria-label=label("Account") value=rate.map(|r| r.account.code.clone()).unwrap_or_default()/>
                                    {error("account.code")}
                                </td>
                                <td>
                                    <input type="text" name=name("label") aria-label=label("Account name") value=rate.map(|r| r.account.label.clone()).unwrap_or_default()/>
                                    {error("account.label")}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {general}
            <button type="submit" class="primary">"Save accounts"</button>
        </ActionForm>
    }
}

/// Standard charts to start from: the French PCG, or DATEV's SKR03 for German books.
#[component]
fn ChartPresets(action: ServerAction<UseChart>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline" attr:aria-label="Standard charts">
            <span class="hint">"Start from a standard chart (later entries only): "</span>
            <button type="submit" name="chart" value="pcg">"French PCG"</button>
            <button type="submit" name="chart" value="skr03">"SKR03 (DATEV)"</button>
            {form_error(action)}
        </ActionForm>
    }
}

/// The closing date of the books: nothing is posted on or before it; it only moves forward.
#[component]
fn ClosingForm(closing: BooksClosing, action: ServerAction<CloseBooks>) -> impl IntoView {
    let general = form_error(action);
    let now = match closing.closed_through {
        Some(date) => {
            format!("The books are closed through {date}: nothing is posted on or before it.")
        }
        None => "No period is closed yet.".to_string(),
    };
    view! {
        <h2>"Closing"</h2>
        <p class="hint">{now}</p>
        <ActionForm action attr:class="customer-form" attr:aria-label="Close the books">
            <label>"Close the books through" <input type="date" name="closed_through" required/></label>
            {field_error(action, "closed_through")}
            {general}
            <p class="hint">"A closed period never opens again: later corrections are dated in the open period."</p>
            <button type="submit" class="danger">"Close the books"</button>
        </ActionForm>
    }
}

/// The exchange rates foreign documents are booked at: the latest kept, a form for one rate,
/// and the upload of the ECB's reference rates file (a plain multipart post).
#[component]
fn ExchangeRates(
    rates: Vec<crate::domain::exchange::ExchangeRate>,
    action: ServerAction<SaveExchangeRate>,
    upload_error: Option<String>,
) -> impl IntoView {
    let general = form_error(action);
    let book = crate::domain::exchange::BOOK_CURRENCY;
    view! {
        <h2>"Exchange rates"</h2>
        <p class="hint">{format!(
            "The books are kept in {book}. A document in another currency is booked at the rate \
             in force on its date (that day's, or the latest of the {} days before), and cannot \
             be issued or finalized without one; payments and refunds likewise.",
            crate::domain::exchange::RATE_IN_FORCE_DAYS
        )}</p>
        {if rates.is_empty() {
            view! { <p>"No rate yet."</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption>"The latest rate of each currency"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Day"</th>
                            <th scope="col">"Currency"</th>
                            <th scope="col">{format!("Units for 1 {book}")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rates.into_iter().map(|rate| view! {
                            <tr>
                                <td>{rate.date.to_string()}</td>
                                <td>{rate.currency.code()}</td>
                                <td class="amount">{rate.rate.normalize().to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <ActionForm action attr:class="customer-form" attr:aria-label="Add an exchange rate">
            <label>"Currency" <input type="text" name="currency" maxlength="3" placeholder="USD" required/></label>
            {field_error(action, "currency")}
            <label>"Day" <input type="date" name="date" required/></label>
            {field_error(action, "date")}
            <label>{format!("Units of the currency for 1 {book}")}
                <input type="text" inputmode="decimal" name="rate" placeholder="1.0921" required/>
            </label>
            {field_error(action, "rate")}
            {general}
            <button type="submit" class="primary">"Save the rate"</button>
        </ActionForm>
        <form method="post" action="/settings/exchange-rates" enctype="multipart/form-data" class="upload" aria-label="Import ECB rates">
            <label>"ECB reference rates file (eurofxref.csv, eurofxref-hist.csv or an eurofxref XML file)"
                <input type="file" name="file" accept=".csv,.xml,text/csv,text/xml,application/xml" required/>
            </label>
            {upload_error.map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit">"Import the rates"</button>
        </form>
    }
}

/// The PDF templates (Typst): edit one, or go back to the built-in one. A template that does
/// not render is refused with Typst's error next to it.
#[component]
fn Templates(templates: Vec<TemplateSetting>, actions: Actions) -> impl IntoView {
    let save = actions.save_template;
    let reset = actions.reset_template;
    view! {
        <h2>"PDF templates"</h2>
        <p class="hint">"Typst templates; the document arrives as JSON in " <code>"sys.inputs.data"</code> ". A template is tried on sample documents before it is saved."</p>
        {templates.into_iter().map(|template| {
            let kind = template.kind.as_str();
            let title = format!("{} template", template.kind.label());
            let field_id = format!("template-{kind}");
            let state = if template.custom { "Edited in Settings" } else { "Built-in" };
            let save_label = format!("Save the {}", title.to_lowercase());
            let field_label = title.clone();
            let heading = title.clone();
            let field = template_field(template.kind);
            let refused = move || {
                refusal(save)
                    .and_then(|p| p.field_message(&field).map(str::to_string))
                    .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
            };
            view! {
                <section class="template" aria-label=title>
                    <h3>{heading} " " <small class="hint">{state}</small></h3>
                    <ActionForm action=save attr:aria-label=save_label>
                        <input type="hidden" name="kind" value=kind/>
                        <label for=field_id.clone() class="visually-hidden">{field_label}</label>
                        <textarea id=field_id name="source" rows="16" spellcheck="false" class="code">{template.source.clone()}</textarea>
                        {refused}
                        <button type="submit" class="primary">"Save template"</button>
                    </ActionForm>
                    {template.custom.then(|| view! {
                        <ActionForm action=reset attr:class="inline">
                            <input type="hidden" name="kind" value=kind/>
                            <button type="submit">"Back to the built-in template"</button>
                        </ActionForm>
                    })}
                </section>
            }
        }).collect_view()}
    }
}
