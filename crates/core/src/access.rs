//! Who does what. Until local roles exist (users, PINs, the actor passed to every operation),
//! a person's manual actions (resolving an order by hand) are recorded under the OS login.

/// The logged-in OS user's name, or `fallback` when the environment names none. Read by the
/// shells (the app, `resellerctl`) and passed into the core as the actor.
pub fn os_user(fallback: &str) -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| fallback.to_owned())
}
