//! Tests of the RukkyStore adapter.
