//! Server functions of the settings screen (administrators): the tax table that proposes
//! each line's rate. The table is posted whole, as a plain form.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{FieldPath, TaxRule, TaxTable, VatCategory};
use crate::model::SettingsPage;
use crate::problem::Problem;

/// One row of the tax-table form as typed. Rows left wholly blank are not rules: that is how
/// a rule is removed, and how the spare rows for new rules are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxRowInput {
    pub region: String,
    pub category: String,
    pub rate: String,
    /// Empty: the rate says.
    pub vat_category: String,
    pub vat_exemption_reason: String,
    /// Both empty: the chart's account of each line's nature.
    pub revenue_account: String,
    pub revenue_account_label: String,
}

impl TaxRowInput {
    /// A row whose category select was left as it came counts as blank too.
    fn is_blank(&self) -> bool {
        [
            &self.region,
            &self.category,
            &self.rate,
            &self.vat_exemption_reason,
            &self.revenue_account,
            &self.revenue_account_label,
        ]
        .iter()
        .all(|text| text.trim().is_empty())
    }
}

/// The field of a row of the form (`rules[2].rate`).
pub fn rule_field(row: usize, field: &str) -> FieldPath {
    FieldPath::item("rules", row, field)
}

/// The table the rows describe, and for each of its rules the form row it came from. A rate
/// that is not a number is named on its row.
pub fn tax_table_from_rows(rows: &[TaxRowInput]) -> Result<(TaxTable, Vec<usize>), Problem> {
    let mut table = TaxTable::default();
    let mut origin = Vec::new();
    for (row, input) in rows
        .iter()
        .enumerate()
        .filter(|(_, input)| !input.is_blank())
    {
        let rate = super::reader().decimal(&rule_field(row, "rate").to_string(), &input.rate)?;
        let vat_category = match input.vat_category.trim() {
            "" => None,
            text => Some(VatCategory::parse(text).ok_or_else(|| {
                Problem::validation(
                    &rule_field(row, "vat_category").to_string(),
                    format!("There is no VAT category {text}"),
                )
            })?),
        };
        let reason = input.vat_exemption_reason.trim();
        let (code, name) = (
            input.revenue_account.trim(),
            input.revenue_account_label.trim(),
        );
        table.rules.push(TaxRule {
            region: input.region.trim().to_string(),
            category: input.category.trim().to_string(),
            rate,
            vat_category,
            vat_exemption_reason: (!reason.is_empty()).then(|| reason.to_string()),
            revenue_account: (!code.is_empty() || !name.is_empty())
                .then(|| crate::domain::journal::Account::new(code, name)),
        });
        origin.push(row);
    }
    Ok((table, origin))
}

/// The domain numbers its findings over the kept rules; the form shows each on its own row.
pub fn on_form_rows(problem: Problem, origin: &[usize]) -> Problem {
    problem.map_fields(|path| {
        let renamed = path
            .item_of("rules")
            .and_then(|(rule, within)| Some(within.within("rules", *origin.get(rule)?)));
        renamed.unwrap_or(path)
    })
}

/// The settings; the new-user form offers the customers matching `customer_q`.
#[server(prefix = "/rpc", endpoint = "load_settings")]
pub async fn load_settings(#[server(default)] customer_q: String) -> Result<SettingsPage, Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .settings_page(&user, &customer_q)
        .await
}

#[server(prefix = "/rpc", endpoint = "save_tax_table")]
pub async fn save_tax_table(#[server(default)] rules: Vec<TaxRowInput>) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    let (table, origin) = tax_table_from_rows(&rules)?;
    crate::backend::desk()?
        .save_tax_table(&user, table)
        .await
        .map_err(|problem| on_form_rows(problem, &origin))?;
    leptos_axum::redirect("/settings");
    Ok(())
}

/// A role as the form names it; an unknown one is named on the field.
#[cfg(feature = "ssr")]
fn role(name: &str) -> Result<crate::domain::Role, Problem> {
    crate::domain::Role::parse(name.trim())
        .ok_or_else(|| Problem::validation("role", format!("There is no role {name}")))
}

/// Runs one users command, then shows the settings again.
#[cfg(feature = "ssr")]
async fn on_users(command: crate::backend::UserCommand) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?.user_command(&user, command).await?;
    leptos_axum::redirect("/settings");
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "create_user")]
pub async fn create_user(
    #[server(default)] email: String,
    #[server(default)] password: String,
    #[server(default)] role: String,
    #[server(default)] customer_id: String,
) -> Result<(), Problem> {
    let role = self::role(&role)?;
    let customer_id = super::reader().optional_id("customer_id", &customer_id)?;
    on_users(crate::backend::UserCommand::Create {
        email,
        password,
        role,
        customer_id,
    })
    .await
}

#[server(prefix = "/rpc", endpoint = "change_user_role")]
pub async fn change_user_role(
    user_id: i64,
    #[server(default)] role: String,
) -> Result<(), Problem> {
    let role = self::role(&role)?;
    on_users(crate::backend::UserCommand::ChangeRole { user_id, role }).await
}

#[server(prefix = "/rpc", endpoint = "reset_user_password")]
pub async fn reset_user_password(
    user_id: i64,
    #[server(default)] password: String,
) -> Result<(), Problem> {
    on_users(crate::backend::UserCommand::ResetPassword { user_id, password }).await
}

#[server(prefix = "/rpc", endpoint = "deactivate_user")]
pub async fn deactivate_user(user_id: i64) -> Result<(), Problem> {
    on_users(crate::backend::UserCommand::Deactivate { user_id }).await
}

/// The seller form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SellerForm {
    pub name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub vat_id: String,
    pub iban: String,
    pub email: String,
    pub late_payment_penalty: String,
    pub early_payment_discount: String,
    pub legal_form: String,
    pub share_capital: String,
    pub siren: String,
    pub siret: String,
    pub rcs_city: String,
    /// `goods`, `services`, `mixed`, or blank.
    pub operations: String,
    /// A checkbox: present ("on") when checked.
    pub vat_on_debits: String,
    /// `MM-DD`; blank: the calendar year.
    pub fiscal_year_end: String,
}

impl SellerForm {
    pub fn profile(&self) -> crate::model::SellerProfile {
        let optional = |text: &str| Some(text.trim().to_string()).filter(|text| !text.is_empty());
        crate::model::SellerProfile {
            name: self.name.trim().to_string(),
            address: crate::model::Address::typed(
                &self.line1,
                &self.line2,
                &self.city,
                &self.postal_code,
                &self.country,
            ),
            vat_id: optional(&self.vat_id),
            iban: optional(&self.iban),
            email: optional(&self.email),
            logo_media_type: None,
            late_payment_penalty: optional(&self.late_payment_penalty),
            early_payment_discount: optional(&self.early_payment_discount),
            legal_identity: crate::domain::LegalIdentity {
                legal_form: optional(&self.legal_form),
                share_capital: optional(&self.share_capital),
                siren: optional(&self.siren),
                siret: optional(&self.siret),
                rcs_city: optional(&self.rcs_city),
            },
            vat_regime: crate::domain::VatRegime {
                operations: crate::domain::OperationNature::parse(self.operations.trim()),
                on_debits: !self.vat_on_debits.trim().is_empty(),
            },
            fiscal_year_end: optional(&self.fiscal_year_end),
        }
    }
}

/// The kind a template form names; an unknown one is named on the field.
#[cfg(feature = "ssr")]
fn document_kind(name: &str) -> Result<crate::model::DocumentKind, Problem> {
    crate::model::DocumentKind::parse(name.trim())
        .ok_or_else(|| Problem::validation("kind", format!("There is no document kind {name}")))
}

/// Runs one documents command, then shows the settings again.
#[cfg(feature = "ssr")]
async fn on_documents(command: crate::backend::DocumentSettingsCommand) -> Result<(), Problem> {
    let user = crate::backend::require_user().await?;
    crate::backend::desk()?
        .document_settings(&user, command)
        .await?;
    leptos_axum::redirect("/settings");
    Ok(())
}

#[server(prefix = "/rpc", endpoint = "save_seller")]
pub async fn save_seller(form: SellerForm) -> Result<(), Problem> {
    on_documents(crate::backend::DocumentSettingsCommand::SaveSeller(
        Box::new(form.profile()),
    ))
    .await
}

/// The chart-of-accounts form as posted: a number and a name per account, and a rate, a
/// number and a name per VAT rate row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountsForm {
    pub receivable_code: String,
    pub receivable_label: String,
    pub customer_credit_code: String,
    pub customer_credit_label: String,
    pub revenue_code: String,
    pub revenue_label: String,
    pub revenue_goods_code: String,
    pub revenue_goods_label: String,
    pub discounts_code: String,
    pub discounts_label: String,
    pub vat_payable_code: String,
    pub vat_payable_label: String,
    pub vat_pending_code: String,
    pub vat_pending_label: String,
    pub bank_code: String,
    pub bank_label: String,
    pub write_off_code: String,
    pub write_off_label: String,
    pub exchange_loss_code: String,
    pub exchange_loss_label: String,
    pub exchange_gain_code: String,
    pub exchange_gain_label: String,
    pub vat_rates: Vec<RateAccountRow>,
}

/// One VAT rate row of the accounts form; a row left wholly blank is no rate (the spare rows,
/// and how a rate's account is removed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateAccountRow {
    pub rate: String,
    pub code: String,
    pub label: String,
    /// The rate's revenue account; both blank: the chart's account of each line's nature.
    pub revenue_code: String,
    pub revenue_label: String,
}

impl AccountsForm {
    /// The chart the form describes, and for each of its rates the form row it came from. A
    /// rate that is not a number is named on its row.
    pub fn chart(&self) -> Result<(crate::domain::journal::ChartOfAccounts, Vec<usize>), Problem> {
        let account = |code: &str, label: &str| crate::domain::journal::Account {
            code: code.to_string(),
            label: label.to_string(),
        };
        let mut vat_rates = Vec::new();
        let mut origin = Vec::new();
        for (row, input) in self.vat_rates.iter().enumerate() {
            if [
                &input.rate,
                &input.code,
                &input.label,
                &input.revenue_code,
                &input.revenue_label,
            ]
            .iter()
            .all(|text| text.trim().is_empty())
            {
                continue;
            }
            let rate = super::reader().decimal(
                &FieldPath::item("vat_rates", row, "rate").to_string(),
                &input.rate,
            )?;
            let revenue = (!input.revenue_code.trim().is_empty()
                || !input.revenue_label.trim().is_empty())
            .then(|| account(&input.revenue_code, &input.revenue_label));
            vat_rates.push(crate::domain::journal::RateAccount {
                rate,
                account: account(&input.code, &input.label),
                revenue,
            });
            origin.push(row);
        }
        let chart = crate::domain::journal::ChartOfAccounts {
            receivable: account(&self.receivable_code, &self.receivable_label),
            customer_credit: account(&self.customer_credit_code, &self.customer_credit_label),
            revenue: account(&self.revenue_code, &self.revenue_label),
            revenue_goods: account(&self.revenue_goods_code, &self.revenue_goods_label),
            discounts: account(&self.discounts_code, &self.discounts_label),
            vat_payable: account(&self.vat_payable_code, &self.vat_payable_label),
            vat_pending: account(&self.vat_pending_code, &self.vat_pending_label),
            vat_rates,
            bank: account(&self.bank_code, &self.bank_label),
            write_off: account(&self.write_off_code, &self.write_off_label),
            exchange_loss: account(&self.exchange_loss_code, &self.exchange_loss_label),
            exchange_gain: account(&self.exchange_gain_code, &self.exchange_gain_label),
        };
        Ok((chart, origin))
    }
}

#[server(prefix = "/rpc", endpoint = "save_accounts")]
pub async fn save_accounts(form: AccountsForm) -> Result<(), Problem> {
    let (chart, origin) = form.chart()?;
    on_documents(crate::backend::DocumentSettingsCommand::SaveAccounts(
        Box::new(chart),
    ))
    .await
    .map_err(|problem| {
        // The domain numbers rates over the kept rows; the form shows each on its own row.
        problem.map_fields(|path| {
            path.item_of("vat_rates")
                .and_then(|(rate, within)| Some(within.within("vat_rates", *origin.get(rate)?)))
                .unwrap_or(path)
        })
    })
}

/// Replaces the chart with a standard one: `pcg` (the French plan comptable général) or
/// `skr03` (DATEV's, for German books).
#[server(prefix = "/rpc", endpoint = "use_chart")]
pub async fn use_chart(#[server(default)] chart: String) -> Result<(), Problem> {
    use crate::domain::journal::ChartOfAccounts;
    let chart = match chart.trim() {
        "pcg" => ChartOfAccounts::default(),
        "skr03" => ChartOfAccounts::skr03(),
        other => {
            return Err(Problem::validation(
                "chart",
                format!("{other} is neither pcg nor skr03"),
            ));
        }
    };
    on_documents(crate::backend::DocumentSettingsCommand::SaveAccounts(
        Box::new(chart),
    ))
    .await
}

/// Closes the books through the date typed (YYYY-MM-DD).
#[server(prefix = "/rpc", endpoint = "close_books")]
pub async fn close_books(#[server(default)] closed_through: String) -> Result<(), Problem> {
    let date = super::reader().date("closed_through", &closed_through)?;
    on_documents(crate::backend::DocumentSettingsCommand::CloseBooks(date)).await
}

/// Keeps the exchange rate typed: currency, day, units of the currency one euro buys.
#[server(prefix = "/rpc", endpoint = "save_exchange_rate")]
pub async fn save_exchange_rate(
    #[server(default)] currency: String,
    #[server(default)] date: String,
    #[server(default)] rate: String,
) -> Result<(), Problem> {
    let reader = super::reader();
    let currency = reader.currency("currency", &currency)?;
    let date = reader.date("date", &date)?;
    let rate = reader.decimal("rate", &rate)?;
    let rate = crate::domain::exchange::ExchangeRate {
        currency,
        date,
        rate,
    };
    on_documents(crate::backend::DocumentSettingsCommand::SaveExchangeRate(
        rate,
    ))
    .await
    // The services name the rate's place in a list; the form holds one.
    .map_err(|problem| {
        problem.map_fields(|path| {
            path.item_of("rates")
                .map(|(_, within)| within)
                .unwrap_or(path)
        })
    })
}

#[server(prefix = "/rpc", endpoint = "remove_logo")]
pub async fn remove_logo() -> Result<(), Problem> {
    on_documents(crate::backend::DocumentSettingsCommand::RemoveLogo).await
}

#[server(prefix = "/rpc", endpoint = "save_template")]
pub async fn save_template(
    #[server(default)] kind: String,
    #[server(default)] source: String,
) -> Result<(), Problem> {
    let kind = document_kind(&kind)?;
    on_documents(crate::backend::DocumentSettingsCommand::SaveTemplate { kind, source })
        .await
        .map_err(|mut problem| {
            // Each kind has its own form on the page: the refusal goes beside the right one.
            for error in &mut problem.errors {
                if error.field == "source" {
                    error.field = template_field(kind);
                }
            }
            problem
        })
}

/// The field of a kind's template on the settings page (`credit_note.source`).
pub fn template_field(kind: crate::model::DocumentKind) -> String {
    format!("{}.source", kind.as_str())
}

#[server(prefix = "/rpc", endpoint = "reset_template")]
pub async fn reset_template(#[server(default)] kind: String) -> Result<(), Problem> {
    let kind = document_kind(&kind)?;
    on_documents(crate::backend::DocumentSettingsCommand::ResetTemplate(kind)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(region: &str, category: &str, rate: &str) -> TaxRowInput {
        TaxRowInput {
            region: region.into(),
            category: category.into(),
            rate: rate.into(),
            ..Default::default()
        }
    }

    #[test]
    fn blank_rows_are_left_out_and_refusals_land_on_their_form_row() {
        let rows = [
            row("FR", "standard", "20"),
            row("", "", " "),
            row("FR", "standard", "5.5"),
        ];
        let (table, origin) = tax_table_from_rows(&rows).unwrap();
        assert_eq!(table.rules.len(), 2);
        assert_eq!(origin, [0, 2]);
        // The domain finds the second rule a duplicate: the form shows it on row 2.
        let problem = on_form_rows(Problem::from(table.violations()), &origin);
        assert_eq!(problem.item_messages("rules", 2).len(), 1, "{problem:?}");
        let bad = tax_table_from_rows(&[row("FR", "reduced", "ten")]).unwrap_err();
        assert!(bad.field_message("rules[0].rate").is_some(), "{bad:?}");
    }
}
