//! fake-provider: serves one provider's API on loopback with injectable faults.

fn main() {}
