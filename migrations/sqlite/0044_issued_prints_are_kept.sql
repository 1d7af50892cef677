-- What an issued document printed is kept as it was: the database refuses to change a frozen
-- print or an asset, to replace a kept PDF, or to remove either (the one change allowed is
-- keeping the PDF the first time it is rendered). `creditdesk verify` still names a print
-- changed by someone who drops these guards.
CREATE TRIGGER issued_prints_no_update BEFORE UPDATE ON issued_prints
WHEN OLD.pdf IS NOT NULL
    OR NEW.invoice_id IS NOT OLD.invoice_id OR NEW.credit_note_id IS NOT OLD.credit_note_id
    OR NEW.main IS NOT OLD.main OR NEW.sources IS NOT OLD.sources OR NEW.data IS NOT OLD.data
    OR NEW.logo_sha256 IS NOT OLD.logo_sha256 OR NEW.sha256 IS NOT OLD.sha256
    OR NEW.created_at IS NOT OLD.created_at
BEGIN SELECT RAISE(ABORT, 'issued prints are kept as issued'); END;
CREATE TRIGGER issued_prints_no_delete BEFORE DELETE ON issued_prints
BEGIN SELECT RAISE(ABORT, 'issued prints are kept as issued'); END;
CREATE TRIGGER print_assets_no_update BEFORE UPDATE ON print_assets
BEGIN SELECT RAISE(ABORT, 'issued prints are kept as issued'); END;
CREATE TRIGGER print_assets_no_delete BEFORE DELETE ON print_assets
BEGIN SELECT RAISE(ABORT, 'issued prints are kept as issued'); END;
