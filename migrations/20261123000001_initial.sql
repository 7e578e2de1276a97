-- Reseller Console ledger, first schema. A shipped migration never changes: add a new file.
-- Money is INTEGER ten-thousandths of a currency unit (`*_units`), so SUM stays exact;
-- FX rates are decimal TEXT and are never summed. Times are UTC RFC 3339 text with a
-- fixed width, so text order is time order.

-- Provider accounts. Never a secret here: secret values live in the OS keychain, this
-- table only names which secret fields were stored.
CREATE TABLE provider_accounts (
    id            TEXT PRIMARY KEY NOT NULL,
    provider      TEXT NOT NULL CHECK (provider IN ('demo', 'vendify', 'rukky', 'estoresms', 'rukapay')),
    label         TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    environment   TEXT NOT NULL CHECK (environment IN ('sandbox', 'production', 'custom')),
    base_url      TEXT NOT NULL,
    settings      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    secret_fields TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(secret_fields)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    archived_at   TEXT
) STRICT;
CREATE UNIQUE INDEX provider_accounts_label ON provider_accounts (label) WHERE archived_at IS NULL;

-- Catalogue cache, refreshed from the provider.
CREATE TABLE products (
    account_id    TEXT NOT NULL REFERENCES provider_accounts (id),
    product_id    TEXT NOT NULL,
    category_code TEXT NOT NULL,
    name          TEXT NOT NULL,
    search_text   TEXT NOT NULL,
    data          TEXT NOT NULL CHECK (json_valid(data)),
    fetched_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, product_id)
) STRICT;
CREATE INDEX products_category ON products (account_id, category_code);

-- Bulk runs from a spreadsheet.
CREATE TABLE batches (
    id          TEXT PRIMARY KEY NOT NULL,
    account_id  TEXT NOT NULL REFERENCES provider_accounts (id),
    source_name TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'validated', 'running', 'paused', 'cancelled', 'completed')),
    row_count   INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- One purchase. Inserted as 'prepared' and committed before anything is sent.
CREATE TABLE orders (
    id                 TEXT PRIMARY KEY NOT NULL,
    account_id         TEXT NOT NULL REFERENCES provider_accounts (id),
    reference          TEXT NOT NULL UNIQUE,
    nonce              TEXT NOT NULL UNIQUE,
    batch_id           TEXT REFERENCES batches (id),
    batch_row          INTEGER,
    product_id         TEXT NOT NULL,
    product_code       TEXT,
    product_name       TEXT NOT NULL,
    category_code      TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    face_units         INTEGER NOT NULL CHECK (face_units > 0),
    face_currency      TEXT NOT NULL CHECK (length(face_currency) = 3),
    cost_units         INTEGER NOT NULL CHECK (cost_units >= 0),
    wallet_id          TEXT NOT NULL,
    wallet_currency    TEXT NOT NULL CHECK (length(wallet_currency) = 3),
    status             TEXT NOT NULL CHECK (status IN ('prepared', 'submitted', 'pending', 'unknown', 'succeeded', 'failed', 'needs_attention', 'reversed')),
    provider_reference TEXT,
    failure_reason     TEXT,
    status_checks      INTEGER NOT NULL DEFAULT 0,
    next_check_at      TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    settled_at         TEXT
) STRICT;
CREATE INDEX orders_created ON orders (created_at, id);
CREATE INDEX orders_account_created ON orders (account_id, created_at, id);
CREATE INDEX orders_open ON orders (status, next_check_at) WHERE status IN ('prepared', 'submitted', 'pending', 'unknown');

-- Everything that happened to an order, in order. Append-only.
CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    TEXT NOT NULL REFERENCES orders (id),
    kind        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX order_events_order ON order_events (order_id, id);
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events are append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events are append-only'); END;

-- Wallet movements. Append-only: a correction is a new entry, never an edit.
-- hold: funds reserved at submit; release: a hold given back (failed); settle: a hold
-- turned into a charge (succeeded); reversal: a charge refunded later.
CREATE TABLE entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL REFERENCES provider_accounts (id),
    wallet_id  TEXT NOT NULL,
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    order_id   TEXT REFERENCES orders (id),
    kind       TEXT NOT NULL CHECK (kind IN ('hold', 'release', 'settle', 'reversal', 'adjustment')),
    units      INTEGER NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX entries_order ON entries (order_id);
CREATE INDEX entries_wallet ON entries (account_id, wallet_id, created_at);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'entries are append-only'); END;

-- The provider's own word on a wallet balance, whenever an answer carries one.
CREATE TABLE wallet_balances (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  TEXT NOT NULL REFERENCES provider_accounts (id),
    wallet_id   TEXT NOT NULL,
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    units       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    observed_at TEXT NOT NULL
) STRICT;
CREATE INDEX wallet_balances_latest ON wallet_balances (account_id, wallet_id, id);

-- What the customer received: voucher codes, PINs, tokens, eSIM activation data.
CREATE TABLE deliveries (
    order_id     TEXT PRIMARY KEY NOT NULL REFERENCES orders (id),
    kind         TEXT NOT NULL CHECK (kind IN ('voucher', 'pin', 'token', 'esim', 'url', 'none')),
    data         TEXT NOT NULL CHECK (json_valid(data)),
    delivered_to TEXT,
    updated_at   TEXT NOT NULL
) STRICT;

-- Who changed what (accounts, delivery details, manual resolutions). Append-only.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT,
    detail  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Exchange rates as providers quote them (decimal text, up to 10 places).
CREATE TABLE fx_rates (
    account_id    TEXT NOT NULL REFERENCES provider_accounts (id),
    from_currency TEXT NOT NULL CHECK (length(from_currency) = 3),
    to_currency   TEXT NOT NULL CHECK (length(to_currency) = 3),
    rate          TEXT NOT NULL,
    observed_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, from_currency, to_currency, observed_at)
) STRICT;
