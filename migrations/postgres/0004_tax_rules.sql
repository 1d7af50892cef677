-- The tax table: a rate per customer tax region and product tax category (percent, exact
-- decimal text).
CREATE TABLE tax_rules (
    region   TEXT NOT NULL CHECK (length(region) > 0),
    category TEXT NOT NULL CHECK (length(category) > 0),
    rate     TEXT NOT NULL,
    PRIMARY KEY (region, category)
);
