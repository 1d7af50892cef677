-- A customer may be a private person. A business established in France is named by its SIREN
-- on every document since the 2026 e-invoicing reform (décret n° 2022-1299); a private person
-- has none. Customers are businesses unless said otherwise.
ALTER TABLE customers ADD COLUMN consumer BOOLEAN NOT NULL DEFAULT FALSE;
