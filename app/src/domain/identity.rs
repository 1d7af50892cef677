//! Who issues a document: the seller's legal identity, which every invoice and credit note
//! creditdesk issues prints, and without which it issues nothing.
//!
//! - CGI annexe II art. 242 nonies A, I-1° and 2°: the seller's name, address and VAT number.
//! - Code de commerce art. R123-237: a company's invoices state its SIREN followed by "RCS" and
//!   the city of its registry, its legal form and its share capital.
//! - A SIREN is 9 digits and a SIRET 14 (the SIREN and a 5-digit establishment number), both
//!   with a Luhn check digit (INSEE's rule).

use serde::{Deserialize, Serialize};

use super::{FieldPath, RuleCode, Violation};

/// The seller's registration, beside its name, address and VAT number.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalIdentity {
    /// The legal form, as registered (`SAS`, `SARL`, `GmbH`).
    #[serde(default)]
    pub legal_form: Option<String>,
    /// The share capital as printed, with its currency (`10 000,00 EUR`).
    #[serde(default)]
    pub share_capital: Option<String>,
    /// 9 digits.
    #[serde(default)]
    pub siren: Option<String>,
    /// 14 digits: the SIREN, then the establishment's number.
    #[serde(default)]
    pub siret: Option<String>,
    /// The city of the trade and companies register (`RCS Paris`).
    #[serde(default)]
    pub rcs_city: Option<String>,
}

impl LegalIdentity {
    /// The registration line of Code de commerce art. R123-237, as documents print it: legal
    /// form and share capital, SIREN followed by "RCS" and the registry's city, and the SIRET
    /// ("SAS au capital de 10 000,00 EUR · SIREN 732 829 320 RCS Paris · SIRET …").
    pub fn mentions(&self) -> Option<String> {
        let form = match (&self.legal_form, &self.share_capital) {
            (Some(form), Some(capital)) => Some(format!("{form} au capital de {capital}")),
            (Some(form), None) => Some(form.clone()),
            (None, Some(capital)) => Some(format!("Capital {capital}")),
            (None, None) => None,
        };
        let siren = self.siren.as_ref().map(|siren| match &self.rcs_city {
            Some(city) => format!("SIREN {} RCS {city}", grouped(siren)),
            None => format!("SIREN {}", grouped(siren)),
        });
        let siret = self
            .siret
            .as_ref()
            .map(|siret| format!("SIRET {}", grouped(siret)));
        let parts: Vec<String> = [form, siren, siret].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// A registration number as printed: the SIREN's nine digits in threes, then the rest
/// (`732 829 320 00074`).
pub fn grouped(digits: &str) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let (siren, establishment) = chars.split_at(chars.len().min(9));
    let mut groups: Vec<String> = siren
        .chunks(3)
        .map(|chunk| chunk.iter().collect())
        .collect();
    if !establishment.is_empty() {
        groups.push(establishment.iter().collect());
    }
    groups.join(" ")
}

/// Whether `digits` pass the Luhn check (INSEE's key for SIREN and SIRET).
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, byte)| {
            let digit = u32::from(byte - b'0');
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn all_digits(text: &str, count: usize) -> bool {
    text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// A SIREN with its spaces taken out, or why it is none.
pub fn parse_siren(typed: &str) -> Result<String, String> {
    let siren: String = typed.split_whitespace().collect();
    if !all_digits(&siren, 9) {
        return Err("A SIREN is 9 digits".into());
    }
    if !luhn(&siren) {
        return Err(format!("{siren} is no SIREN: its check digit is wrong"));
    }
    Ok(siren)
}

/// The SIREN inside a French VAT number: `FR`, a two-digit key, the SIREN, where the key is
/// (12 + 3 × (SIREN mod 97)) mod 97 (CGI annexe II art. 242 nonies A, I-2°; the reform's
/// buyer SIREN, BT-47, is known from it). None when the text is no such number.
pub fn siren_of_french_vat_id(vat_id: &str) -> Option<String> {
    let compact: String = vat_id.split_whitespace().collect();
    let rest = compact
        .strip_prefix("FR")
        .or_else(|| compact.strip_prefix("fr"))?;
    if !all_digits(rest, 11) {
        return None;
    }
    let (key, siren) = rest.split_at(2);
    let siren = parse_siren(siren).ok()?;
    let number: u64 = siren.parse().ok()?;
    let expected = (12 + 3 * (number % 97)) % 97;
    (key.parse::<u64>().ok()? == expected).then_some(siren)
}

/// Refuses a document to a business established in France (billing `country` FR, not a
/// private person) whose SIREN is not known: since the 2026 e-invoicing reform its invoices
/// name the buyer's SIREN (CGI annexe II art. 242 nonies A, as amended by décret n° 2022-1299;
/// EN 16931 BT-47). `siren` is the one given or carried by its French VAT number.
pub fn check_buyer_siren(
    country: &str,
    consumer: bool,
    siren: Option<&str>,
) -> Result<(), Violation> {
    let french_business = country.trim().eq_ignore_ascii_case("FR") && !consumer;
    if !french_business || siren.is_some_and(|siren| !siren.is_empty()) {
        return Ok(());
    }
    Err(Violation::new(
        RuleCode::BuyerSirenRequired,
        Some("customer.siren".into()),
        "A business established in France is named by its SIREN on every document since the \
         2026 e-invoicing reform: give the customer's SIREN or French VAT number, or mark it \
         a private person",
    ))
}

/// A SIRET with its spaces taken out, or why it is none.
pub fn parse_siret(typed: &str) -> Result<String, String> {
    let siret: String = typed.split_whitespace().collect();
    if !all_digits(&siret, 14) {
        return Err("A SIRET is 14 digits".into());
    }
    // La Poste's establishments are numbered by another rule: their digits sum to a multiple of 5.
    let la_poste = siret.starts_with("356000000")
        && siret
            .bytes()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5);
    if !luhn(&siret) && !la_poste {
        return Err(format!("{siret} is no SIRET: its check digit is wrong"));
    }
    Ok(siret)
}

/// What a seller must have given before it issues a document: one violation per missing
/// mention, each on its field, so the settings form can say what to fill in.
#[derive(Clone, Copy)]
pub struct IssuerFacts<'a> {
    pub name: &'a str,
    pub address_complete: bool,
    /// Registered in France (its address): the SIREN and RCS mentions apply.
    pub french: bool,
    pub vat_id: Option<&'a str>,
    pub identity: &'a LegalIdentity,
}

/// Refuses to issue while a mention the law requires on every document is missing (Code de
/// commerce art. R123-237; CGI annexe II art. 242 nonies A, I-1° and 2°). The SIREN and RCS
/// mentions are French registrations: a seller established elsewhere states its own
/// (legal form and capital stay required).
pub fn check_issuer(facts: &IssuerFacts<'_>) -> Result<(), Vec<Violation>> {
    let blank = |text: Option<&str>| text.is_none_or(|text| text.trim().is_empty());
    let identity = facts.identity;
    let required = [
        ("seller.name", blank(Some(facts.name)), "legal name"),
        ("seller.address", !facts.address_complete, "address"),
        ("seller.vat_id", blank(facts.vat_id), "VAT number"),
        (
            "seller.legal_identity.legal_form",
            blank(identity.legal_form.as_deref()),
            "legal form",
        ),
        (
            "seller.legal_identity.share_capital",
            blank(identity.share_capital.as_deref()),
            "share capital",
        ),
        (
            "seller.legal_identity.siren",
            facts.french && blank(identity.siren.as_deref()),
            "SIREN",
        ),
        (
            "seller.legal_identity.rcs_city",
            facts.french && blank(identity.rcs_city.as_deref()),
            "RCS city",
        ),
    ];
    let violations: Vec<Violation> = required
        .into_iter()
        .filter(|(_, missing, _)| *missing)
        .map(|(field, _, what)| {
            Violation::new(
                RuleCode::SellerIdentityIncomplete,
                Some(FieldPath::from(field)),
                format!(
                    "Give the seller's {what} in Settings first: every document issued states it"
                ),
            )
        })
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Code de commerce art. R123-237: the line every document prints.
    #[test]
    fn the_registration_prints_as_the_law_words_it() {
        let identity = LegalIdentity {
            legal_form: Some("SAS".into()),
            share_capital: Some("10 000,00 EUR".into()),
            siren: Some("732829320".into()),
            siret: Some("73282932000074".into()),
            rcs_city: Some("Paris".into()),
        };
        assert_eq!(
            identity.mentions().as_deref(),
            Some(
                "SAS au capital de 10 000,00 EUR · SIREN 732 829 320 RCS Paris · SIRET 732 829 320 00074"
            )
        );
        assert_eq!(LegalIdentity::default().mentions(), None);
    }

    /// INSEE: SIREN and SIRET carry a Luhn check digit.
    #[test]
    fn sirens_and_sirets_are_checked_by_their_key() {
        assert_eq!(parse_siren("732 829 320").as_deref(), Ok("732829320"));
        assert!(
            parse_siren("732829321")
                .unwrap_err()
                .contains("check digit")
        );
        assert!(parse_siren("12345678").unwrap_err().contains("9 digits"));
        assert_eq!(
            parse_siret("732 829 320 00074").as_deref(),
            Ok("73282932000074")
        );
        assert!(parse_siret("73282932000075").is_err());
        assert!(parse_siret("7328293200007").is_err());
        // La Poste's establishments: no Luhn key, digits summing to a multiple of 5.
        assert!(!luhn("35600000049837"));
        assert!(parse_siret("35600000049837").is_ok());
        assert!(parse_siret("35600000049838").is_err());
    }

    /// Code de commerce art. R123-237 and CGI annexe II art. 242 nonies A: nothing is issued
    /// without the mentions every document must carry.
    #[test]
    fn an_issuer_names_itself_in_full() {
        let identity = LegalIdentity {
            legal_form: Some("SAS".into()),
            share_capital: Some("10 000,00 EUR".into()),
            siren: Some("732829320".into()),
            siret: None,
            rcs_city: Some("Paris".into()),
        };
        let facts = IssuerFacts {
            name: "Demo SAS",
            address_complete: true,
            french: true,
            vat_id: Some("FR44732829320"),
            identity: &identity,
        };
        assert!(check_issuer(&facts).is_ok());
        let bare = LegalIdentity::default();
        let refused = check_issuer(&IssuerFacts {
            identity: &bare,
            vat_id: None,
            ..facts
        })
        .unwrap_err();
        let fields: Vec<String> = refused
            .iter()
            .map(|violation| violation.field.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(
            fields,
            [
                "seller.vat_id",
                "seller.legal_identity.legal_form",
                "seller.legal_identity.share_capital",
                "seller.legal_identity.siren",
                "seller.legal_identity.rcs_city",
            ]
        );
        assert!(
            refused
                .iter()
                .all(|v| v.code == RuleCode::SellerIdentityIncomplete)
        );
        // A GmbH has no SIREN: its form, capital and VAT number are still required.
        let gmbh = LegalIdentity {
            legal_form: Some("GmbH".into()),
            share_capital: Some("25 000,00 EUR".into()),
            ..LegalIdentity::default()
        };
        let german = IssuerFacts {
            french: false,
            identity: &gmbh,
            ..facts
        };
        assert!(check_issuer(&german).is_ok());
    }

    /// The French VAT number is FR, a key and the SIREN: the test seller's FR44732829320
    /// carries SIREN 732 829 320; a wrong key or a foreign number carries none.
    #[test]
    fn a_french_vat_number_carries_its_siren() {
        assert_eq!(
            siren_of_french_vat_id("FR44 732 829 320").as_deref(),
            Some("732829320")
        );
        assert_eq!(siren_of_french_vat_id("FR45732829320"), None);
        assert_eq!(siren_of_french_vat_id("DE811907980"), None);
        assert_eq!(siren_of_french_vat_id("FR4473282932"), None);
    }

    /// Décret n° 2022-1299: a document to a business established in France names its SIREN;
    /// a private person, or a customer abroad, has none to name.
    #[test]
    fn a_french_business_customer_is_named_by_its_siren() {
        assert!(check_buyer_siren("FR", false, Some("303265045")).is_ok());
        let refused = check_buyer_siren("fr", false, None).unwrap_err();
        assert_eq!(
            (refused.code, refused.field.map(|f| f.to_string())),
            (RuleCode::BuyerSirenRequired, Some("customer.siren".into()))
        );
        assert!(check_buyer_siren("FR", true, None).is_ok());
        assert!(check_buyer_siren("DE", false, None).is_ok());
    }
}
