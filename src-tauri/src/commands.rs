//! The commands the UI may call. Each body is a few lines calling `reseller_core::Console`;
//! errors cross as `ErrorView {code, message, field}`. This list is the only place commands
//! are named: `bindings.rs` derives the handler and the TypeScript bindings from it.

use reseller_core::orders::{
    OrderDetailView, OrderFilter, OrderPage, OrderView, PageRequest, PlacePreview, PlaceRequest,
    Resolution, SweepReport,
};
use reseller_core::providers::CatalogueQuery;
use reseller_core::views::{
    AccountView, AppInfo, CatalogueRefresh, CatalogueView, CategoryView, ConnectionTest, Dashboard,
    NewAccount, ProductView, ProviderKindInfo, ValidationView,
};
use reseller_core::ErrorView;
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorView>;

#[tauri::command]
#[specta::specta]
pub async fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    Ok(state.console()?.info())
}

#[tauri::command]
#[specta::specta]
pub async fn dashboard(state: State<'_, AppState>) -> Reply<Dashboard> {
    state.console()?.dashboard().await.map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Reply<Vec<AccountView>> {
    state.console()?.accounts().await.map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn provider_kinds(state: State<'_, AppState>) -> Reply<Vec<ProviderKindInfo>> {
    Ok(state.console()?.provider_kinds())
}

#[tauri::command]
#[specta::specta]
pub async fn add_account(state: State<'_, AppState>, input: NewAccount) -> Reply<AccountView> {
    state
        .console()?
        .add_account(input)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn remove_account(state: State<'_, AppState>, id: String) -> Reply<()> {
    state
        .console()?
        .remove_account(&id)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn test_account(state: State<'_, AppState>, id: String) -> Reply<ConnectionTest> {
    state
        .console()?
        .test_account(&id)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn categories(
    state: State<'_, AppState>,
    account_id: String,
) -> Reply<Vec<CategoryView>> {
    state
        .console()?
        .categories(&account_id)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn catalogue(
    state: State<'_, AppState>,
    account_id: String,
    query: CatalogueQuery,
) -> Reply<CatalogueView> {
    state
        .console()?
        .catalogue(&account_id, &query)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn refresh_catalogue(
    state: State<'_, AppState>,
    account_id: String,
) -> Reply<CatalogueRefresh> {
    state
        .console()?
        .refresh_catalogue(&account_id)
        .await
        .map_err(|e| e.view())
}

/// The UI calls this once the dashboard has painted real data; the startup benchmark
/// reads the marker it prints.
#[tauri::command]
#[specta::specta]
pub async fn ui_ready(state: State<'_, AppState>, view: String) -> Reply<()> {
    state.mark_painted(&view);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn product(
    state: State<'_, AppState>,
    account_id: String,
    product_id: String,
    face_value: Option<String>,
) -> Reply<ProductView> {
    state
        .console()?
        .product(&account_id, &product_id, face_value.as_deref())
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn validate_account(
    state: State<'_, AppState>,
    account_id: String,
    product_id: String,
    account_number: String,
) -> Reply<ValidationView> {
    state
        .console()?
        .validate_account(&account_id, &product_id, &account_number)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn preview_order(state: State<'_, AppState>, input: PlaceRequest) -> Reply<PlacePreview> {
    state
        .console()?
        .preview_order(&input)
        .await
        .map_err(|e| e.view())
}

/// Spends money: the UI calls it only after the user confirmed the preview.
#[tauri::command]
#[specta::specta]
pub async fn buy(state: State<'_, AppState>, input: PlaceRequest) -> Reply<OrderView> {
    state.console()?.buy(input).await.map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn list_orders(
    state: State<'_, AppState>,
    filter: OrderFilter,
    page: PageRequest,
) -> Reply<OrderPage> {
    state
        .console()?
        .orders(&filter, &page)
        .await
        .map_err(|e| e.view())
}

#[tauri::command]
#[specta::specta]
pub async fn get_order(state: State<'_, AppState>, id: String) -> Reply<OrderDetailView> {
    state.console()?.order(&id).await.map_err(|e| e.view())
}

/// Orders a person should look at: needing attention, or reversed by the provider lately.
#[tauri::command]
#[specta::specta]
pub async fn attention_orders(state: State<'_, AppState>) -> Reply<Vec<OrderView>> {
    state.console()?.attention().await.map_err(|e| e.view())
}

/// Closes an order that needs attention as the person found it in the provider's portal.
/// Who did it is the OS user running the app (local roles come later).
#[tauri::command]
#[specta::specta]
pub async fn resolve_order(
    state: State<'_, AppState>,
    id: String,
    resolution: Resolution,
) -> Reply<OrderView> {
    let actor = reseller_core::access::os_user("app user");
    state
        .console()?
        .resolve_order(&id, &resolution, &actor)
        .await
        .map_err(|e| e.view())
}

/// Asks the providers about every open order that is due now.
#[tauri::command]
#[specta::specta]
pub async fn reconcile(state: State<'_, AppState>) -> Reply<SweepReport> {
    state.console()?.reconcile().await.map_err(|e| e.view())
}
