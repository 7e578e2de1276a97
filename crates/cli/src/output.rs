//! What resellerctl prints: aligned text for people, `--json` for scripts. Amounts are
//! printed from their exact decimal strings; nothing here can print a secret value.

use reseller_core::providers::ProviderKind;
use reseller_core::views::{
    AccountView, CatalogueView, CategoryView, ConnectionTest, Dashboard, MoneyView, ProductView,
};
use reseller_core::Error;
use serde::Serialize;

pub(crate) fn print_json<T: Serialize + ?Sized>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error: cannot print JSON: {e}"),
    }
}

/// "NGN 1,250,000.00": groups the integer part of the exact decimal text.
pub fn money(m: &MoneyView) -> String {
    let (sign, body) = match m.amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", m.amount.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if frac.is_empty() {
        format!("{} {sign}{grouped}", m.currency)
    } else {
        format!("{} {sign}{grouped}.{frac}", m.currency)
    }
}

pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    line(widths.iter().map(|w| "-".repeat(*w)).collect());
    for r in rows {
        line(r.clone());
    }
}

pub fn error(e: &Error, json: bool) {
    if json {
        print_json(&e.view());
    }
    eprintln!("error: {e}");
}

pub fn done(message: &str, json: bool) {
    if json {
        print_json(&serde_json::json!({ "ok": true, "message": message }));
    } else {
        println!("{message}");
    }
}

pub fn accounts(list: &[AccountView], json: bool) {
    if json {
        return print_json(list);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.label.clone(),
                a.provider_name.clone(),
                format!("{:?}", a.environment).to_lowercase(),
                a.base_url.clone(),
                if a.stored_secrets.is_empty() {
                    "-".to_owned()
                } else {
                    format!("{} (keychain)", a.stored_secrets.join(", "))
                },
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "LABEL",
            "PROVIDER",
            "ENVIRONMENT",
            "BASE URL",
            "SECRETS",
        ],
        &rows,
    );
}

pub fn dashboard(d: &Dashboard, json: bool) {
    if json {
        return print_json(d);
    }
    let mut rows = Vec::new();
    for a in &d.accounts {
        for w in &a.wallets {
            let mut note = Vec::new();
            if w.low {
                note.push("LOW".to_owned());
            }
            if a.stale {
                note.push(format!("last known {}", w.observed_at));
            } else if w.last_reported {
                note.push(format!("last reported {}", w.observed_at));
            }
            rows.push(vec![
                a.account.label.clone(),
                w.wallet_id.clone(),
                money(&w.balance),
                note.join(", "),
            ]);
        }
        for w in &a.unreported_wallets {
            rows.push(vec![
                a.account.label.clone(),
                w.clone(),
                "-".to_owned(),
                "no balance reported yet".to_owned(),
            ]);
        }
        if let Some(e) = &a.error {
            rows.push(vec![
                a.account.label.clone(),
                "-".to_owned(),
                "-".to_owned(),
                e.message.clone(),
            ]);
        }
    }
    table(&["ACCOUNT", "WALLET", "BALANCE", "NOTE"], &rows);
}

pub fn connection_test(t: &ConnectionTest, json: bool) {
    if json {
        return print_json(t);
    }
    if t.ok {
        println!("OK: {}", t.message);
        for w in &t.wallets {
            println!("  {}  {}", w.wallet_id, money(&w.balance));
        }
    } else {
        println!("FAILED: {}", t.message);
    }
}

pub fn categories(list: &[CategoryView], json: bool) {
    if json {
        return print_json(list);
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|c| vec![c.code.clone(), c.name.clone()])
        .collect();
    table(&["CODE", "NAME"], &rows);
}

fn denominations(p: &ProductView) -> String {
    p.denominations
        .iter()
        .map(|d| {
            if d.min == d.max {
                format!("{} {}", d.currency, d.min)
            } else {
                format!("{} {}-{}", d.currency, d.min, d.max)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn products(view: &CatalogueView, json: bool) {
    if json {
        return print_json(view);
    }
    let list = &view.products;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.name.clone(),
                p.category_code.clone(),
                denominations(p),
                p.cost.as_ref().map(money).unwrap_or_else(|| "-".to_owned()),
                p.countries.join(","),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "NAME",
            "CATEGORY",
            "VALUES",
            "COST (MIN VALUE)",
            "COUNTRIES",
        ],
        &rows,
    );
    println!("{} product(s)", list.len());
    match &view.fetched_at {
        Some(at) => println!("From the catalogue saved at {at}; --refresh fetches it anew."),
        None => println!("Asked live from the provider (this list is not saved)."),
    }
}

pub fn providers(kinds: &[ProviderKind], json: bool) {
    if json {
        let v: Vec<_> = kinds
            .iter()
            .map(|k| serde_json::json!({ "provider": k.as_str(), "name": k.display_name(), "fields": k.fields(), "capabilities": k.capabilities() }))
            .collect();
        return print_json(&v);
    }
    for k in kinds {
        println!("{} ({})", k.display_name(), k.as_str());
        let envs: Vec<String> = k
            .environments()
            .iter()
            .map(|e| match k.base_url(*e) {
                Some(u) => format!("{} {u}", e.as_str()),
                None => e.as_str().to_owned(),
            })
            .collect();
        println!("  environments: {}", envs.join("; "));
        for f in k.fields() {
            let how = if f.secret {
                format!(
                    "secret: --secrets-stdin `{}=...` or {}",
                    f.key,
                    reseller_core::console::env_var_name(*k, f.key)
                )
            } else {
                format!("--setting {}=...", f.key)
            };
            println!(
                "  {:<18} {}{}  [{how}]",
                f.key,
                f.label,
                if f.required { " (required)" } else { "" }
            );
        }
        println!();
    }
}
