use app::domain::{TaxRule, TaxTable, VatCategory};
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::input::Fields;
use super::{ApiError, ApiJson, ApiUser};
use crate::services::Services;

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRuleBody {
    #[schema(example = "DE")]
    region: String,
    #[schema(example = "standard")]
    category: String,
    #[schema(example = "19")]
    rate: String,
    /// Why the rule's lines are taxed as they are (EN 16931 VAT category); absent or null: the
    /// rate says (`standard` above 0 %, `zero_rated` at 0 %).
    #[serde(default)]
    vat_category: Option<VatCategory>,
    /// The mention untaxed lines print: the exempting article (required for `exempt`); the
    /// law's own mention for reverse charge, intra-EU supplies and exports when absent.
    #[serde(default)]
    #[schema(example = json!(null))]
    vat_exemption_reason: Option<String>,
    /// The revenue account of the category's lines, when not the chart's account of their
    /// nature (706 services, 707 goods); a line takes it from the rule that prices it.
    #[serde(default)]
    #[schema(example = json!({"code": "706100", "label": "Prestations de services export"}))]
    revenue_account: Option<app::domain::journal::Account>,
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxTableBody {
    rules: Vec<TaxRuleBody>,
}

fn body(table: TaxTable) -> TaxTableBody {
    TaxTableBody {
        rules: table
            .rules
            .into_iter()
            .map(|rule| TaxRuleBody {
                region: rule.region,
                category: rule.category,
                rate: rule.rate.normalize().to_string(),
                vat_category: rule.vat_category,
                vat_exemption_reason: rule.vat_exemption_reason,
                revenue_account: rule.revenue_account,
            })
            .collect(),
    }
}

#[utoipa::path(
    get,
    operation_id = "read_tax_rules",
    path = "/tax-rules",
    tag = "settings",
    responses((status = 200, body = TaxTableBody)),
    security(("bearer" = []))
)]
/// The tax table: a rate per customer tax region and product tax category.
pub async fn read(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
) -> Result<axum::Json<TaxTableBody>, ApiError> {
    Ok(axum::Json(body(services.tax_table(&user).await?)))
}

#[utoipa::path(
    put,
    operation_id = "replace_tax_rules",
    path = "/tax-rules",
    tag = "settings",
    request_body = TaxTableBody,
    responses(
        (status = 200, body = TaxTableBody),
        (status = 422, description = "Invalid rules", body = crate::api::extract::ProblemDetails, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
/// Replaces the tax table (administrators).
pub async fn replace(
    State(services): State<Services>,
    ApiUser(user): ApiUser,
    ApiJson(request): ApiJson<TaxTableBody>,
) -> Result<axum::Json<TaxTableBody>, ApiError> {
    let mut fields = Fields::default();
    let rules: Vec<_> = request
        .rules
        .into_iter()
        .enumerate()
        .map(|(i, rule)| {
            let rate = fields.decimal(&format!("rules[{i}].rate"), &rule.rate);
            (rule, rate)
        })
        .collect();
    let table = fields.finish(|| {
        let rules = rules
            .into_iter()
            .map(|(rule, rate)| {
                Some(TaxRule {
                    region: rule.region,
                    category: rule.category,
                    rate: rate?,
                    vat_category: rule.vat_category,
                    vat_exemption_reason: rule.vat_exemption_reason,
                    revenue_account: rule.revenue_account.map(|account| {
                        app::domain::journal::Account::new(
                            account.code.trim(),
                            account.label.trim(),
                        )
                    }),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(TaxTable { rules })
    })?;
    Ok(axum::Json(body(
        services.set_tax_table(&user, table).await?,
    )))
}
