-- The seller's registration that every document it issues states (Code de commerce art.
-- R123-237): legal form, share capital, SIREN, SIRET and the RCS city, as one JSON object.
ALTER TABLE seller_profile ADD COLUMN legal_identity TEXT;
