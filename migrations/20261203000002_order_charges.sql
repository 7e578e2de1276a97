-- What the provider actually took for an order, and a second look at succeeded orders.
--
-- `cost_units` is what we held when the order was written: the provider's quote, or the
-- face value when it quotes nothing (RukaPay adds its fee only in the answer). The answer
-- may say otherwise (eStoreSMS `amount_charged` below list price, RukaPay `totalCharged`
-- with the fee), so the amount settled is kept here, in the wallet currency's units.
ALTER TABLE orders ADD COLUMN charged_units INTEGER CHECK (charged_units IS NULL OR charged_units >= 0);

-- Succeeded orders keep a `next_check_at` for a few late status queries, so a reversal the
-- provider makes after the fact is found and booked as a correcting entry.
CREATE INDEX orders_review ON orders (next_check_at) WHERE status = 'succeeded' AND next_check_at IS NOT NULL;
