-- Purchases in flight, and what the sweeper counts. A shipped migration never changes.
--
-- lease_holder / lease_until: the process placing an order holds it from its intent until
-- the provider's answer is recorded. A sweep (in the same app, in `resellerctl reconcile`
-- or in another process) skips an order whose holder is alive and whose lease has not run
-- out, so it never gives up on a purchase whose answer is still on its way. A holder that
-- died (its lock file is free) or a lease past its time no longer protects the order.
ALTER TABLE orders ADD COLUMN lease_holder TEXT;
ALTER TABLE orders ADD COLUMN lease_until TEXT;
-- Not-found answers in a row (timeouts and pending answers do not count and reset nothing;
-- any answer that finds the order resets it).
ALTER TABLE orders ADD COLUMN not_found_checks INTEGER NOT NULL DEFAULT 0;

-- Orders whose hold may still be outstanding: the funds check reads only these, so it costs
-- as much as the open orders, not the whole history of the wallet.
CREATE INDEX orders_holding ON orders (account_id, wallet_id)
    WHERE status IN ('prepared', 'submitted', 'pending', 'unknown', 'needs_attention');

-- Late looks at closed orders: a reversal after success, and now also a booking after the
-- order was given up as never arrived.
DROP INDEX orders_review;
CREATE INDEX orders_review_closed ON orders (next_check_at, id)
    WHERE status IN ('succeeded', 'failed') AND next_check_at IS NOT NULL;

-- Orders a person should look at (the dashboard's list): waiting for a person, or reversed
-- by the provider after they succeeded.
CREATE INDEX orders_attention ON orders (updated_at, id)
    WHERE status IN ('needs_attention', 'reversed');
