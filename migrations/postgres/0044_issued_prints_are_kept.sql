-- What an issued document printed is kept as it was: the database refuses to change a frozen
-- print or an asset, to replace a kept PDF, or to remove either (the one change allowed is
-- keeping the PDF the first time it is rendered). `creditdesk verify` still names a print
-- changed by someone who drops these guards.
CREATE FUNCTION issued_print_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.pdf IS NOT NULL
        OR NEW.invoice_id IS DISTINCT FROM OLD.invoice_id
        OR NEW.credit_note_id IS DISTINCT FROM OLD.credit_note_id
        OR NEW.main IS DISTINCT FROM OLD.main OR NEW.sources IS DISTINCT FROM OLD.sources
        OR NEW.data IS DISTINCT FROM OLD.data OR NEW.logo_sha256 IS DISTINCT FROM OLD.logo_sha256
        OR NEW.sha256 IS DISTINCT FROM OLD.sha256 OR NEW.created_at IS DISTINCT FROM OLD.created_at
    THEN
        RAISE EXCEPTION 'issued prints are kept as issued';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER issued_prints_kept BEFORE UPDATE OR DELETE ON issued_prints
    FOR EACH ROW EXECUTE FUNCTION issued_print_is_kept();

CREATE FUNCTION print_asset_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued prints are kept as issued';
END
$$;
CREATE TRIGGER print_assets_kept BEFORE UPDATE OR DELETE ON print_assets
    FOR EACH ROW EXECUTE FUNCTION print_asset_is_kept();
