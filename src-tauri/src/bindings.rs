//! The single command list: the invoke handler and `ui/src/lib/bindings.ts` both come from it.

use tauri_specta::{collect_commands, Builder, ErrorHandlingMode};

use crate::commands;

/// Generic over the runtime so tests can mount the same list on Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .error_handling(ErrorHandlingMode::Throw)
        // Thrown errors are `ErrorView`s; export the type so the UI can read its code.
        .typ::<reseller_core::ErrorView>()
        .commands(collect_commands![
            commands::app_info,
            commands::dashboard,
            commands::list_accounts,
            commands::provider_kinds,
            commands::add_account,
            commands::remove_account,
            commands::test_account,
            commands::categories,
            commands::catalogue,
            commands::refresh_catalogue,
            commands::ui_ready,
            commands::product,
            commands::validate_account,
            commands::preview_order,
            commands::buy,
            commands::list_orders,
            commands::get_order,
            commands::resolve_order,
            commands::attention_orders,
            commands::reconcile,
        ])
}

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/lib/bindings.ts";

const HEADER: &str = "// Generated from src-tauri/src/bindings.rs by `cargo run -p reseller-console --bin export-bindings`.\n// Do not edit: the test suite fails when this file is stale.\n";

pub fn typescript() -> Result<String, String> {
    let body = builder::<tauri::Wry>()
        .export_str(specta_typescript::Typescript::default().header(HEADER))
        .map_err(|e| e.to_string())?;
    Ok(body)
}
