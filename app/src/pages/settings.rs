//! Settings (administrators): the tax table, region × category → rate, which proposes the rate
//! of each new line (one form; blank a row to remove its rule, fill a spare row to add one;
//! refusals show on their row); the seller's details and the PDF templates that documents
//! print with; and the users: create, change a staff role, reset a password, deactivate.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::customer_choice::{CustomerChoice, CustomerSearchForm, SEARCH_FORM, searched};
use super::{ProblemMessage, field_error, form_error, problem_view, refusal};
use crate::domain::{OperationNature, Role, VatCategory};
use crate::i18n::{Msg, format, t, tf, use_language};
use crate::model::{
    BooksClosing, CustomerView, DocumentKind, SellerProfile, SettingsPage, TemplateSetting,
    UserSummary,
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

/// A role's name for people.
fn role_message(role: Role) -> Msg {
    match role {
        Role::Administrator => Msg::RoleAdministrator,
        Role::CreditManager => Msg::RoleCreditManager,
        Role::SalesManager => Msg::RoleSalesManager,
        Role::Sales => Msg::RoleSales,
        Role::Viewer => Msg::RoleViewer,
        Role::Customer => Msg::RoleCustomer,
    }
}

/// A VAT category's name for people.
fn vat_category_message(category: VatCategory) -> Msg {
    match category {
        VatCategory::Standard => Msg::SettingsVatCategoryStandard,
        VatCategory::ZeroRated => Msg::SettingsVatCategoryZeroRated,
        VatCategory::Exempt => Msg::SettingsVatCategoryExempt,
        VatCategory::ReverseCharge => Msg::SettingsVatCategoryReverseCharge,
        VatCategory::IntraCommunity => Msg::SettingsVatCategoryIntraCommunity,
        VatCategory::Export => Msg::SettingsVatCategoryExport,
    }
}

/// What the seller's operations are, for people.
fn operation_message(nature: OperationNature) -> Msg {
    match nature {
        OperationNature::Goods => Msg::SettingsOperationsGoods,
        OperationNature::Services => Msg::SettingsOperationsServices,
        OperationNature::Mixed => Msg::SettingsOperationsMixed,
    }
}

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
        <h1>{t(Msg::NavSettings)}</h1>
        <Suspense fallback=|| view! { <p>{t(Msg::SettingsLoading)}</p> }>
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
    let language = use_language();
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
        <h2>{t(Msg::SettingsTaxTitle)}</h2>
        <p class="hint">{t(Msg::SettingsTaxHint)}</p>
        <ActionForm action=save attr:class="tax-table" attr:aria-label=t(Msg::SettingsTaxTitle)>
            <table class="grid">
                <caption class="visually-hidden">{t(Msg::SettingsTaxCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::SettingsTaxRegion)}</th>
                        <th scope="col">{t(Msg::SettingsTaxCategory)}</th>
                        <th scope="col">{t(Msg::SettingsRatePercent)}</th>
                        <th scope="col">{t(Msg::SettingsTaxVatCategory)}</th>
                        <th scope="col">{t(Msg::SettingsTaxExemption)}</th>
                        <th scope="col">{t(Msg::SettingsTaxRevenueAccountOwn)}</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..rows).map(|row| {
                        let rule = rules.get(row);
                        let text = |value: Option<String>| value.unwrap_or_default();
                        let name = move |field: &str| format!("rules[{row}][{field}]");
                        let label = move |message: Msg| tf(message, &[("row", &(row + 1).to_string())]);
                        view! {
                            <tr>
                                <td>
                                    <input type="text" name=name("region") aria-label=label(Msg::SettingsTaxRegionRow) value=text(rule.map(|r| r.region.clone()))/>
                                    {error(row, "region")}
                                </td>
                                <td>
                                    <input type="text" name=name("category") aria-label=label(Msg::SettingsTaxCategoryRow) value=text(rule.map(|r| r.category.clone()))/>
                                    {error(row, "category")}
                                </td>
                                <td>
                                    <input type="text" inputmode="decimal" name=name("rate") aria-label=label(Msg::SettingsTaxRateRow) value=text(rule.map(|r| format::editable(language, r.rate.normalize())))/>
                                    {error(row, "rate")}
                                </td>
                                <td>
                                    <select name=name("vat_category") aria-label=label(Msg::SettingsTaxVatCategoryRow)>
                                        <option value="" selected=rule.is_none_or(|r| r.vat_category.is_none())>{t(Msg::SettingsTaxByRate)}</option>
                                        {VatCategory::ALL.into_iter().map(|category| view! {
                                            <option value=category.as_str() selected=rule.is_some_and(|r| r.vat_category == Some(category))>
                                                {t(vat_category_message(category))}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                    {error(row, "vat_category")}
                                </td>
                                <td>
                                    <input type="text" name=name("vat_exemption_reason") aria-label=label(Msg::SettingsTaxExemptionRow) placeholder=t(Msg::SettingsTaxExemptionPlaceholder) value=text(rule.and_then(|r| r.vat_exemption_reason.clone()))/>
                                    {error(row, "vat_exemption_reason")}
                                </td>
                                <td>
                                    <input type="text" inputmode="numeric" name=name("revenue_account") aria-label=label(Msg::SettingsTaxRevenueAccountRow) placeholder="706100" value=text(rule.and_then(|r| r.revenue_account.as_ref().map(|a| a.code.clone())))/>
                                    {error(row, "revenue_account.code")}
                                    <input type="text" name=name("revenue_account_label") aria-label=label(Msg::SettingsTaxRevenueAccountNameRow) placeholder="Prestations de services export" value=text(rule.and_then(|r| r.revenue_account.as_ref().map(|a| a.label.clone())))/>
                                    {error(row, "revenue_account.label")}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {general}
            <button type="submit" class="primary">{t(Msg::SettingsTaxSave)}</button>
        </ActionForm>
    }
}

/// The users: each with its role and status; staff roles change in place, and anyone but the
/// viewer themself can be deactivated. A new user gets a role, and customer users a customer.
#[component]
fn Users(page: SettingsPage, actions: Actions) -> impl IntoView {
    let language = use_language();
    let me = page.viewer.id;
    let row = move |user: UserSummary| {
        let active = user.deactivated_at.is_none();
        let editable = active && user.id != me;
        let status = match user.deactivated_at {
            Some(at) => tf(
                Msg::SettingsUsersDeactivated,
                &[("date", &format::date(language, at.date_naive()))],
            ),
            None => t(Msg::SettingsUsersActive).to_string(),
        };
        let role_cell = if editable && user.role.is_internal() {
            let label = tf(Msg::SettingsUsersRoleOf, &[("email", &user.email)]);
            view! {
                <ActionForm action=actions.change_role attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <select name="role" aria-label=label>
                        {Role::ALL.iter().filter(|r| r.is_internal()).map(|r| view! {
                            <option value=r.as_str() selected=*r == user.role>{t(role_message(*r))}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">{t(Msg::SettingsUsersChangeRole)}</button>
                </ActionForm>
            }
            .into_any()
        } else {
            t(role_message(user.role)).into_any()
        };
        let deactivate = editable.then(|| {
            let label = tf(Msg::SettingsUsersDeactivateUser, &[("email", &user.email)]);
            view! {
                <ActionForm action=actions.deactivate attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <button type="submit" class="danger" aria-label=label>{t(Msg::SettingsUsersDeactivate)}</button>
                </ActionForm>
            }
        });
        // A temporary password the user must replace at their next sign-in.
        let reset = editable.then(|| {
            let label = tf(Msg::SettingsUsersTemporaryPassword, &[("email", &user.email)]);
            view! {
                <ActionForm action=actions.reset_password attr:class="inline">
                    <input type="hidden" name="user_id" value=user.id/>
                    <input type="password" name="password" autocomplete="new-password" minlength="10" required aria-label=label/>
                    <button type="submit">{t(Msg::SettingsUsersResetPassword)}</button>
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
        <h2>{t(Msg::SettingsUsersTitle)}</h2>
        {move || problem_view(problem(), "")}
        <table class="grid">
            <caption class="visually-hidden">{t(Msg::SettingsUsersTitle)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t(Msg::SettingsEmail)}</th>
                    <th scope="col">{t(Msg::SettingsRole)}</th>
                    <th scope="col">{t(Msg::SettingsCustomer)}</th>
                    <th scope="col">{t(Msg::SettingsUsersStatus)}</th>
                    <th scope="col">{t(Msg::SettingsUsersAction)}</th>
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
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::SettingsNewUserTitle)>
            <h3>{t(Msg::SettingsNewUserTitle)}</h3>
            <label>{t(Msg::SettingsEmail)} <input type="email" name="email" required/></label>
            {on("email")}
            <label>{t(Msg::SettingsNewUserPassword)} <input type="password" name="password" autocomplete="new-password" required/></label>
            {on("password")}
            <label>{t(Msg::SettingsRole)}
                <select name="role">
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == Role::Viewer>{t(role_message(*r))}</option>
                    }).collect_view()}
                </select>
            </label>
            {on("role")}
            <CustomerChoice customers chosen=String::new() field="customer_id"
                label=t(Msg::SettingsNewUserCustomer) blank=t(Msg::SettingsNewUserNoCustomer) required=false search_form=SEARCH_FORM/>
            {on("customer_id")}
            {general}
            <button type="submit" class="primary">{t(Msg::SettingsNewUserCreate)}</button>
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
        <h2>{t(Msg::SettingsSellerTitle)}</h2>
        <p class="hint">{t(Msg::SettingsSellerHint)}</p>
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::SettingsSellerTitle)>
            <label>{t(Msg::SettingsSellerName)} <input type="text" name="form[name]" value=seller.name.clone() required/></label>
            {on("name")}
            <label>{t(Msg::SettingsSellerAddress)} <input type="text" name="form[line1]" value=address.line1.clone()/></label>
            {on("address.line1")}
            <label>{t(Msg::SettingsSellerAddressLine2)} <input type="text" name="form[line2]" value=text(address.line2.clone())/></label>
            {on("address.line2")}
            <label>{t(Msg::SettingsSellerPostalCode)} <input type="text" name="form[postal_code]" value=address.postal_code.clone()/></label>
            {on("address.postal_code")}
            <label>{t(Msg::SettingsSellerCity)} <input type="text" name="form[city]" value=address.city.clone()/></label>
            {on("address.city")}
            <label>{t(Msg::SettingsSellerCountry)} <input type="text" name="form[country]" value=address.country.clone()/></label>
            {on("address.country")}
            <label>{t(Msg::SettingsSellerVatId)} <input type="text" name="form[vat_id]" value=text(seller.vat_id.clone())/></label>
            {on("vat_id")}
            <label>{t(Msg::SettingsSellerIban)} <input type="text" name="form[iban]" value=text(seller.iban.clone())/></label>
            {on("iban")}
            <label>{t(Msg::SettingsEmail)} <input type="email" name="form[email]" value=text(seller.email.clone())/></label>
            {on("email")}
            <p class="hint">{t(Msg::SettingsSellerLegalHint)}</p>
            <label>{t(Msg::SettingsSellerLegalForm)} <input type="text" name="form[legal_form]" value=text(identity.legal_form.clone()) placeholder="SAS"/></label>
            {on("legal_identity.legal_form")}
            <label>{t(Msg::SettingsSellerShareCapital)} <input type="text" name="form[share_capital]" value=text(identity.share_capital.clone()) placeholder=t(Msg::SettingsSellerShareCapitalPlaceholder)/></label>
            {on("legal_identity.share_capital")}
            <label>{t(Msg::SettingsSellerSiren)} <input type="text" name="form[siren]" value=text(identity.siren.clone()) inputmode="numeric"/></label>
            {on("legal_identity.siren")}
            <label>{t(Msg::SettingsSellerSiret)} <input type="text" name="form[siret]" value=text(identity.siret.clone()) inputmode="numeric"/></label>
            {on("legal_identity.siret")}
            <label>{t(Msg::SettingsSellerRcsCity)} <input type="text" name="form[rcs_city]" value=text(identity.rcs_city.clone()) placeholder="Paris"/></label>
            {on("legal_identity.rcs_city")}
            <p class="hint">{t(Msg::SettingsSellerRegimeHint)}</p>
            <label>{t(Msg::SettingsSellerOperations)}
                <select name="form[operations]">
                    <option value="" selected=regime.operations.is_none()>{t(Msg::SettingsSellerNotStated)}</option>
                    {OperationNature::ALL.into_iter().map(|nature| view! {
                        <option value=nature.as_str() selected=regime.operations == Some(nature)>{t(operation_message(nature))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                <input type="checkbox" name="form[vat_on_debits]" value="on" checked=regime.on_debits/>
                {t(Msg::SettingsSellerVatOnDebits)}
            </label>
            <label>{t(Msg::SettingsSellerFiscalYearEnd)}
                <input type="text" name="form[fiscal_year_end]" value=text(seller.fiscal_year_end.clone()) placeholder="12-31" size="5"/>
            </label>
            {on("fiscal_year_end")}
            <p class="hint">{t(Msg::SettingsSellerTermsHint)}</p>
            <label>{t(Msg::SettingsSellerLatePaymentPenalty)}
                <input type="text" name="form[late_payment_penalty]" value=text(seller.late_payment_penalty.clone())
                    placeholder=t(Msg::PdfDefaultLatePaymentPenalty)/>
            </label>
            {on("late_payment_penalty")}
            <label>{t(Msg::SettingsSellerEarlyPaymentDiscount)}
                <input type="text" name="form[early_payment_discount]" value=text(seller.early_payment_discount.clone())
                    placeholder=t(Msg::PdfDefaultEarlyPaymentDiscount)/>
            </label>
            {on("early_payment_discount")}
            {general}
            <button type="submit" class="primary">{t(Msg::SettingsSellerSave)}</button>
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
        <h3>{t(Msg::SettingsLogoTitle)}</h3>
        {if has_logo {
            view! {
                <img class="logo-preview" src="/settings/logo" alt=t(Msg::SettingsLogoAlt)/>
                <ActionForm action=remove attr:class="inline">
                    <button type="submit" class="danger">{t(Msg::SettingsLogoRemove)}</button>
                </ActionForm>
                {move || problem_view(refusal(remove), "")}
            }.into_any()
        } else {
            view! { <p>{t(Msg::SettingsLogoNone)}</p> }.into_any()
        }}
        <form method="post" action="/settings/logo" enctype="multipart/form-data" class="upload" aria-label=t(Msg::SettingsLogoTitle)>
            <label>{t(Msg::SettingsLogoFile)}
                <input type="file" name="file" accept="image/png,image/jpeg,.png,.jpg,.jpeg" required/>
            </label>
            {upload_error.map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit">{t(Msg::SettingsLogoUpload)}</button>
        </form>
    }
}

/// The accounts journal entries are written to: a number and a name each.
#[component]
fn AccountsForm(
    chart: crate::domain::journal::ChartOfAccounts,
    action: ServerAction<SaveAccounts>,
) -> impl IntoView {
    let language = use_language();
    let general = form_error(action);
    // Each account: its form name, where a refusal of its number and its name lands, and the
    // labels of its two fields.
    const FIELDS: [(&str, &str, &str, Msg, Msg); 11] = [
        (
            "receivable",
            "receivable.code",
            "receivable.label",
            Msg::SettingsAccountsReceivable,
            Msg::SettingsAccountsReceivableName,
        ),
        (
            "customer_credit",
            "customer_credit.code",
            "customer_credit.label",
            Msg::SettingsAccountsCustomerCredit,
            Msg::SettingsAccountsCustomerCreditName,
        ),
        (
            "revenue",
            "revenue.code",
            "revenue.label",
            Msg::SettingsAccountsRevenue,
            Msg::SettingsAccountsRevenueName,
        ),
        (
            "revenue_goods",
            "revenue_goods.code",
            "revenue_goods.label",
            Msg::SettingsAccountsRevenueGoods,
            Msg::SettingsAccountsRevenueGoodsName,
        ),
        (
            "discounts",
            "discounts.code",
            "discounts.label",
            Msg::SettingsAccountsDiscounts,
            Msg::SettingsAccountsDiscountsName,
        ),
        (
            "vat_payable",
            "vat_payable.code",
            "vat_payable.label",
            Msg::SettingsAccountsVatPayable,
            Msg::SettingsAccountsVatPayableName,
        ),
        (
            "vat_pending",
            "vat_pending.code",
            "vat_pending.label",
            Msg::SettingsAccountsVatPending,
            Msg::SettingsAccountsVatPendingName,
        ),
        (
            "bank",
            "bank.code",
            "bank.label",
            Msg::SettingsAccountsBank,
            Msg::SettingsAccountsBankName,
        ),
        (
            "write_off",
            "write_off.code",
            "write_off.label",
            Msg::SettingsAccountsWriteOff,
            Msg::SettingsAccountsWriteOffName,
        ),
        (
            "exchange_loss",
            "exchange_loss.code",
            "exchange_loss.label",
            Msg::SettingsAccountsExchangeLoss,
            Msg::SettingsAccountsExchangeLossName,
        ),
        (
            "exchange_gain",
            "exchange_gain.code",
            "exchange_gain.label",
            Msg::SettingsAccountsExchangeGain,
            Msg::SettingsAccountsExchangeGainName,
        ),
    ];
    view! {
        <h2>{t(Msg::SettingsAccountsTitle)}</h2>
        <p class="hint">{t(Msg::SettingsAccountsHint)}</p>
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::SettingsAccountsTitle)>
            {chart.accounts().into_iter().zip(FIELDS).map(|((_, account), (name, code_field, label_field, code_title, label_title))| {
                view! {
                    <label>{t(code_title)}
                        <input type="text" inputmode="numeric" name=format!("form[{name}_code]") value=account.code.clone() required/>
                    </label>
                    {field_error(action, code_field)}
                    <label>{t(label_title)}
                        <input type="text" name=format!("form[{name}_label]") value=account.label.clone() required/>
                    </label>
                    {field_error(action, label_field)}
                }
            }).collect_view()}
            <table class="grid">
                <caption>{t(Msg::SettingsAccountsVatCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::SettingsRatePercent)}</th>
                        <th scope="col">{t(Msg::SettingsAccountsAccount)}</th>
                        <th scope="col">{t(Msg::SettingsAccountsAccountName)}</th>
                        <th scope="col">{t(Msg::SettingsAccountsRateRevenue)}</th>
                        <th scope="col">{t(Msg::SettingsAccountsRateRevenueName)}</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..chart.vat_rates.len() + SPARE_ROWS).map(|row| {
                        let rate = chart.vat_rates.get(row);
                        let name = move |field: &str| format!("form[vat_rates][{row}][{field}]");
                        let label = move |message: Msg| tf(message, &[("row", &(row + 1).to_string())]);
                        let error = move |field: &str| field_error(action, format!("vat_rates[{row}].{field}"));
                        view! {
                            <tr>
                                <td>
                                    <input type="text" inputmode="decimal" name=name("rate") aria-label=label(Msg::SettingsAccountsRateRow) value=rate.map(|r| format::editable(language, r.rate.normalize())).unwrap_or_default()/>
                                    {error("rate")}
                                </td>
                                <td>
                                    <input type="text" inputmode="numeric" name=name("code") aria-label=label(Msg::SettingsAccountsAccountRow) value=rate.map(|r| r.account.code.clone()).unwrap_or_default()/>
                                    {error("account.code")}
                                </td>
                                <td>
                                    <input type="text" name=name("label") aria-label=label(Msg::SettingsAccountsAccountNameRow) value=rate.map(|r| r.account.label.clone()).unwrap_or_default()/>
                                    {error("account.label")}
                                </td>
                                <td>
                                    <input type="text" inputmode="numeric" name=name("revenue_code") aria-label=label(Msg::SettingsAccountsRateRevenueRow) value=rate.and_then(|r| r.revenue.as_ref().map(|a| a.code.clone())).unwrap_or_default()/>
                                    {error("revenue.code")}
                                </td>
                                <td>
                                    <input type="text" name=name("revenue_label") aria-label=label(Msg::SettingsAccountsRateRevenueNameRow) value=rate.and_then(|r| r.revenue.as_ref().map(|a| a.label.clone())).unwrap_or_default()/>
                                    {error("revenue.label")}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {general}
            <button type="submit" class="primary">{t(Msg::SettingsAccountsSave)}</button>
        </ActionForm>
    }
}

/// Standard charts to start from: the French PCG, or DATEV's SKR03 for German books.
#[component]
fn ChartPresets(action: ServerAction<UseChart>) -> impl IntoView {
    view! {
        <ActionForm action attr:class="inline" attr:aria-label=t(Msg::SettingsChartsLabel)>
            <span class="hint">{t(Msg::SettingsChartsHint)}</span>
            <button type="submit" name="chart" value="pcg">{t(Msg::SettingsChartsPcg)}</button>
            <button type="submit" name="chart" value="skr03">"SKR03 (DATEV)"</button>
            {form_error(action)}
        </ActionForm>
    }
}

/// The closing date of the books: nothing is posted on or before it; it only moves forward.
#[component]
fn ClosingForm(closing: BooksClosing, action: ServerAction<CloseBooks>) -> impl IntoView {
    let language = use_language();
    let general = form_error(action);
    let now = match closing.closed_through {
        Some(date) => tf(
            Msg::SettingsClosingClosedThrough,
            &[("date", &format::date(language, date))],
        ),
        None => t(Msg::SettingsClosingNone).to_string(),
    };
    view! {
        <h2>{t(Msg::SettingsClosingTitle)}</h2>
        <p class="hint">{now}</p>
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::SettingsClosingClose)>
            <label>{t(Msg::SettingsClosingDate)} <input type="date" name="closed_through" required/></label>
            {field_error(action, "closed_through")}
            {general}
            <p class="hint">{t(Msg::SettingsClosingHint)}</p>
            <button type="submit" class="danger">{t(Msg::SettingsClosingClose)}</button>
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
    let language = use_language();
    let general = form_error(action);
    let book = crate::domain::exchange::BOOK_CURRENCY;
    let days = crate::domain::exchange::RATE_IN_FORCE_DAYS.to_string();
    view! {
        <h2>{t(Msg::SettingsRatesTitle)}</h2>
        <p class="hint">{tf(Msg::SettingsRatesHint, &[("book", book), ("days", days.as_str())])}</p>
        {if rates.is_empty() {
            view! { <p>{t(Msg::SettingsRatesNone)}</p> }.into_any()
        } else {
            view! {
                <table class="grid">
                    <caption>{t(Msg::SettingsRatesCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::SettingsRatesDay)}</th>
                            <th scope="col">{t(Msg::SettingsRatesCurrency)}</th>
                            <th scope="col">{tf(Msg::SettingsRatesUnitsFor, &[("book", book)])}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rates.into_iter().map(|rate| view! {
                            <tr>
                                <td>{format::date(language, rate.date)}</td>
                                <td>{rate.currency.code()}</td>
                                <td class="amount">{rate.rate.normalize().to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <ActionForm action attr:class="customer-form" attr:aria-label=t(Msg::SettingsRatesAdd)>
            <label>{t(Msg::SettingsRatesCurrency)} <input type="text" name="currency" maxlength="3" placeholder="USD" required/></label>
            {field_error(action, "currency")}
            <label>{t(Msg::SettingsRatesDay)} <input type="date" name="date" required/></label>
            {field_error(action, "date")}
            <label>{tf(Msg::SettingsRatesUnitsOfCurrency, &[("book", book)])}
                <input type="text" inputmode="decimal" name="rate" placeholder="1.0921" required/>
            </label>
            {field_error(action, "rate")}
            {general}
            <button type="submit" class="primary">{t(Msg::SettingsRatesSave)}</button>
        </ActionForm>
        <form method="post" action="/settings/exchange-rates" enctype="multipart/form-data" class="upload" aria-label=t(Msg::SettingsRatesImportLabel)>
            <label>{t(Msg::SettingsRatesFile)}
                <input type="file" name="file" accept=".csv,.xml,text/csv,text/xml,application/xml" required/>
            </label>
            {upload_error.map(|message| view! { <span class="field-error" role="alert">{message}</span> })}
            <button type="submit">{t(Msg::SettingsRatesImport)}</button>
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
        <h2>{t(Msg::SettingsTemplatesTitle)}</h2>
        <p class="hint">{t(Msg::SettingsTemplatesHintBefore)} <code>"sys.inputs.data"</code> {t(Msg::SettingsTemplatesHintAfter)}</p>
        {templates.into_iter().map(|template| {
            let kind = template.kind.as_str();
            let (title, save_label) = match template.kind {
                DocumentKind::CreditNote => (
                    t(Msg::SettingsTemplatesCreditNote),
                    t(Msg::SettingsTemplatesSaveCreditNote),
                ),
                DocumentKind::Invoice => (
                    t(Msg::SettingsTemplatesInvoice),
                    t(Msg::SettingsTemplatesSaveInvoice),
                ),
            };
            let field_id = format!("template-{kind}");
            let state = if template.custom {
                t(Msg::SettingsTemplatesCustom)
            } else {
                t(Msg::SettingsTemplatesBuiltIn)
            };
            let field_label = title;
            let heading = title;
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
                        <button type="submit" class="primary">{t(Msg::SettingsTemplatesSave)}</button>
                    </ActionForm>
                    {template.custom.then(|| view! {
                        <ActionForm action=reset attr:class="inline">
                            <input type="hidden" name="kind" value=kind/>
                            <button type="submit">{t(Msg::SettingsTemplatesReset)}</button>
                        </ActionForm>
                    })}
                </section>
            }
        }).collect_view()}
    }
}
