//! EN 16931 in the UBL 2.1 syntax: a `CreditNote` (type code 381) or an `Invoice` (380, 384,
//! 386), elements in the order the UBL 2.1 schemas require.

use super::xml::Xml;
use super::{EDocument, EN16931, EParty, SIRENE_SCHEME, amount, plain};
use app::domain::VatCategory;
use app::model::Address;

const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";

/// UN/ECE rec. 20 "one": the documents carry quantities without units.
pub(super) const UNIT: &str = "C62";

/// The document as UBL 2.1 XML.
pub fn write(document: &EDocument) -> String {
    let credit = document.is_credit_note();
    let (root, namespace, type_code, line, quantity) = if credit {
        (
            "CreditNote",
            CREDIT_NOTE,
            "cbc:CreditNoteTypeCode",
            "cac:CreditNoteLine",
            "cbc:CreditedQuantity",
        )
    } else {
        (
            "Invoice",
            INVOICE,
            "cbc:InvoiceTypeCode",
            "cac:InvoiceLine",
            "cbc:InvoicedQuantity",
        )
    };
    let currency = document.currency;
    let money = |value| amount(currency, value);
    let code = currency.code();
    let mut xml = Xml::new();
    xml.open(
        root,
        &[("xmlns", namespace), ("xmlns:cac", CAC), ("xmlns:cbc", CBC)],
    );
    xml.text("cbc:CustomizationID", EN16931);
    xml.optional("cbc:ProfileID", document.billing_mode);
    xml.text("cbc:ID", &document.number);
    xml.text("cbc:IssueDate", &document.issue_date.to_string());
    if !credit && let Some(due) = document.due_date {
        xml.text("cbc:DueDate", &due.to_string());
    }
    xml.text(type_code, &document.type_code.to_string());
    xml.optional("cbc:Note", document.note.as_deref());
    // UBL has no subject code: the French rules read it as a `#CODE#` prefix.
    for note in &document.legal_notes {
        match note.subject {
            Some(subject) => xml.text("cbc:Note", &format!("#{subject}#{}", note.text)),
            None => xml.text("cbc:Note", &note.text),
        }
    }
    xml.text("cbc:DocumentCurrencyCode", code);
    if let Some((accounting, _)) = document.tax_in_accounting_currency {
        xml.text("cbc:TaxCurrencyCode", accounting.code());
    }
    if let Some((number, date)) = &document.preceding_invoice {
        xml.open("cac:BillingReference", &[]);
        xml.open("cac:InvoiceDocumentReference", &[]);
        xml.text("cbc:ID", number);
        xml.text("cbc:IssueDate", &date.to_string());
        xml.close("cac:InvoiceDocumentReference");
        xml.close("cac:BillingReference");
    }
    if let Some(project) = document.project.as_deref() {
        // BT-11: an invoice names its project; a credit note refers to it as a document of
        // type 50 (price/sales catalogue response, as EN 16931 maps it for credit notes).
        if credit {
            xml.open("cac:AdditionalDocumentReference", &[]);
            xml.text("cbc:ID", project);
            xml.text("cbc:DocumentTypeCode", "50");
            xml.close("cac:AdditionalDocumentReference");
        } else {
            xml.open("cac:ProjectReference", &[]);
            xml.text("cbc:ID", project);
            xml.close("cac:ProjectReference");
        }
    }
    party(&mut xml, "cac:AccountingSupplierParty", &document.seller);
    party(&mut xml, "cac:AccountingCustomerParty", &document.buyer);
    let delivered_to = document.stated_delivery_address();
    if document.delivery_date.is_some() || delivered_to.is_some() {
        xml.open("cac:Delivery", &[]);
        if let Some(shipped) = document.delivery_date {
            xml.text("cbc:ActualDeliveryDate", &shipped.to_string());
        }
        if let Some(delivered_to) = delivered_to {
            // BG-15: where the goods went.
            xml.open("cac:DeliveryLocation", &[]);
            address(&mut xml, "cac:Address", delivered_to);
            xml.close("cac:DeliveryLocation");
        }
        xml.close("cac:Delivery");
    }
    if let Some(iban) = document.seller_iban.as_deref() {
        xml.open("cac:PaymentMeans", &[]);
        // UNTDID 4461 58: SEPA credit transfer.
        xml.text("cbc:PaymentMeansCode", "58");
        xml.open("cac:PayeeFinancialAccount", &[]);
        xml.text("cbc:ID", &iban.replace(' ', ""));
        xml.close("cac:PayeeFinancialAccount");
        xml.close("cac:PaymentMeans");
    }
    xml.open("cac:TaxTotal", &[]);
    xml.text_with(
        "cbc:TaxAmount",
        &[("currencyID", code)],
        &money(document.tax_total),
    );
    for rate in &document.taxes {
        xml.open("cac:TaxSubtotal", &[]);
        xml.text_with(
            "cbc:TaxableAmount",
            &[("currencyID", code)],
            &money(rate.taxable),
        );
        xml.text_with("cbc:TaxAmount", &[("currencyID", code)], &money(rate.tax));
        tax_category_element(
            &mut xml,
            "cac:TaxCategory",
            rate.category,
            rate.rate,
            rate.exemption_reason.as_deref(),
        );
        xml.close("cac:TaxSubtotal");
    }
    xml.close("cac:TaxTotal");
    if let Some((accounting, tax)) = document.tax_in_accounting_currency {
        // BT-111: the VAT total again, in the accounting currency, without subtotals.
        xml.open("cac:TaxTotal", &[]);
        xml.text_with(
            "cbc:TaxAmount",
            &[("currencyID", accounting.code())],
            &money(tax),
        );
        xml.close("cac:TaxTotal");
    }
    xml.open("cac:LegalMonetaryTotal", &[]);
    for (element, value) in [
        ("cbc:LineExtensionAmount", document.line_total),
        ("cbc:TaxExclusiveAmount", document.line_total),
        ("cbc:TaxInclusiveAmount", document.grand_total),
        ("cbc:PayableAmount", document.grand_total),
    ] {
        xml.text_with(element, &[("currencyID", code)], &money(value));
    }
    xml.close("cac:LegalMonetaryTotal");
    for (index, item) in document.lines.iter().enumerate() {
        xml.open(line, &[]);
        xml.text("cbc:ID", &(index + 1).to_string());
        xml.text_with(quantity, &[("unitCode", UNIT)], &plain(item.quantity));
        xml.text_with(
            "cbc:LineExtensionAmount",
            &[("currencyID", code)],
            &money(item.net),
        );
        if let Some(allowance) = item.allowance {
            xml.open("cac:AllowanceCharge", &[]);
            xml.text("cbc:ChargeIndicator", "false");
            // UNTDID 5189 95: discount.
            xml.text("cbc:AllowanceChargeReasonCode", "95");
            xml.text("cbc:AllowanceChargeReason", "Discount");
            xml.text("cbc:MultiplierFactorNumeric", &plain(allowance.percent));
            xml.text_with(
                "cbc:Amount",
                &[("currencyID", code)],
                &money(allowance.amount),
            );
            xml.text_with(
                "cbc:BaseAmount",
                &[("currencyID", code)],
                &money(allowance.base),
            );
            xml.close("cac:AllowanceCharge");
        }
        xml.open("cac:Item", &[]);
        xml.text("cbc:Name", &item.name);
        // A line states its category and rate; the reason goes in the breakdown only.
        tax_category_element(
            &mut xml,
            "cac:ClassifiedTaxCategory",
            item.vat_category,
            item.tax_rate,
            None,
        );
        xml.close("cac:Item");
        xml.open("cac:Price", &[]);
        xml.text_with(
            "cbc:PriceAmount",
            &[("currencyID", code)],
            &plain(item.unit_price),
        );
        xml.close("cac:Price");
        xml.close(line);
    }
    xml.close(root);
    xml.finish()
}

/// An address (BG-5, BG-8, BG-15) in the UBL order.
fn address(xml: &mut Xml, element: &str, address: &Address) {
    xml.open(element, &[]);
    xml.optional("cbc:StreetName", Some(&address.line1));
    xml.optional("cbc:AdditionalStreetName", address.line2.as_deref());
    xml.optional("cbc:CityName", Some(&address.city));
    xml.optional("cbc:PostalZone", Some(&address.postal_code));
    xml.open("cac:Country", &[]);
    xml.text("cbc:IdentificationCode", &address.country);
    xml.close("cac:Country");
    xml.close(element);
}

fn party(xml: &mut Xml, role: &str, party: &EParty) {
    xml.open(role, &[]);
    xml.open("cac:Party", &[]);
    if let Some((scheme, endpoint)) = party.endpoint() {
        xml.text_with("cbc:EndpointID", &[("schemeID", scheme)], endpoint);
    }
    address(xml, "cac:PostalAddress", &party.address);
    if let Some(vat_id) = party.vat_id.as_deref() {
        xml.open("cac:PartyTaxScheme", &[]);
        xml.text("cbc:CompanyID", vat_id);
        tax_scheme(xml);
        xml.close("cac:PartyTaxScheme");
    }
    xml.open("cac:PartyLegalEntity", &[]);
    xml.text("cbc:RegistrationName", &party.name);
    if let Some(siren) = party.siren.as_deref() {
        xml.text_with("cbc:CompanyID", &[("schemeID", SIRENE_SCHEME)], siren);
    }
    xml.optional("cbc:CompanyLegalForm", party.legal_information.as_deref());
    xml.close("cac:PartyLegalEntity");
    if let Some(email) = party.email.as_deref() {
        xml.open("cac:Contact", &[]);
        xml.text("cbc:ElectronicMail", email);
        xml.close("cac:Contact");
    }
    xml.close("cac:Party");
    xml.close(role);
}

/// A VAT category (BT-118/BT-151), its rate and, in the breakdown, why an untaxed one is not
/// taxed: the VATEX code (BT-121) of a reason fixed by law, and the mention (BT-120).
fn tax_category_element(
    xml: &mut Xml,
    element: &str,
    category: VatCategory,
    rate: rust_decimal::Decimal,
    reason: Option<&str>,
) {
    xml.open(element, &[]);
    xml.text("cbc:ID", category.code());
    xml.text("cbc:Percent", &plain(rate));
    if let Some(reason) = reason {
        if let Some(code) = category.vatex() {
            xml.text("cbc:TaxExemptionReasonCode", code);
        }
        xml.text("cbc:TaxExemptionReason", reason);
    }
    tax_scheme(xml);
    xml.close(element);
}

fn tax_scheme(xml: &mut Xml) {
    xml.open("cac:TaxScheme", &[]);
    xml.text("cbc:ID", "VAT");
    xml.close("cac:TaxScheme");
}
