-- The saved catalogue (issue 4): which accounts have one, since when, and the provider's
-- listing order of its products.
--
-- A row here means the account's catalogue is saved, even when the provider listed no
-- products, so an empty catalogue is not fetched again on every visit. It is written in
-- the same transaction that replaces the account's `products` rows.
CREATE TABLE catalogues (
    account_id TEXT PRIMARY KEY NOT NULL REFERENCES provider_accounts (id),
    fetched_at TEXT NOT NULL
) STRICT;

-- The provider's order, so an answer from the saved catalogue reads like a live one.
ALTER TABLE products ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
CREATE INDEX products_position ON products (account_id, position);
