//! The purchase pipeline: validate, commit the intent, send once, record the outcome, and
//! reconcile pending and unknown orders by asking the provider about our reference.
