//! The providers Reseller Console knows: names, base URLs and the fields an account needs.
//! The Providers screen and `resellerctl accounts add` are both built from this table.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Capabilities;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Demo,
    Vendify,
    Rukky,
    Estoresms,
    Rukapay,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Sandbox,
    Production,
    /// A base URL the user typed: a staging host, a local test server.
    Custom,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom => "custom",
        }
    }
}

impl FromStr for Environment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Environment::Sandbox),
            "production" | "live" => Ok(Environment::Production),
            "custom" => Ok(Environment::Custom),
            other => Err(format!(
                "\"{other}\" is not an environment: use sandbox, production or custom"
            )),
        }
    }
}

/// One field of an account form.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CredentialField {
    pub key: &'static str,
    pub label: &'static str,
    /// Secret fields go to the OS keychain and are never shown again.
    pub secret: bool,
    pub required: bool,
    pub help: &'static str,
    /// Allowed values, when the field is a choice.
    pub choices: Vec<&'static str>,
}

const fn field(
    key: &'static str,
    label: &'static str,
    secret: bool,
    required: bool,
    help: &'static str,
) -> CredentialField {
    CredentialField {
        key,
        label,
        secret,
        required,
        help,
        choices: Vec::new(),
    }
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Demo,
        ProviderKind::Vendify,
        ProviderKind::Rukky,
        ProviderKind::Estoresms,
        ProviderKind::Rukapay,
    ];
    /// Kinds a user can add an account for (the demo account is built in).
    pub const ADDABLE: [ProviderKind; 4] = [
        ProviderKind::Vendify,
        ProviderKind::Rukky,
        ProviderKind::Estoresms,
        ProviderKind::Rukapay,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Demo => "demo",
            ProviderKind::Vendify => "vendify",
            ProviderKind::Rukky => "rukky",
            ProviderKind::Estoresms => "estoresms",
            ProviderKind::Rukapay => "rukapay",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            ProviderKind::Demo => "Demo provider",
            ProviderKind::Vendify => "Vendify",
            ProviderKind::Rukky => "RukkyStore",
            ProviderKind::Estoresms => "eStoreSMS",
            ProviderKind::Rukapay => "RukaPay",
        }
    }

    /// The documented base URL for an environment; `None` where the provider has none.
    pub fn base_url(self, env: Environment) -> Option<&'static str> {
        match (self, env) {
            (ProviderKind::Demo, _) => Some("demo://local"),
            (ProviderKind::Vendify, Environment::Sandbox) => {
                Some("https://sandboxapi.vendifydigital.com")
            }
            (ProviderKind::Vendify, Environment::Production) => {
                Some("https://api.vendifydigital.com")
            }
            // RukkyStore and eStoreSMS publish one live endpoint and no sandbox.
            (ProviderKind::Rukky, Environment::Production) => {
                Some("https://www.rukkystore.com/api/v1")
            }
            (ProviderKind::Estoresms, Environment::Production) => Some("https://estoresms.com"),
            (ProviderKind::Rukapay, Environment::Sandbox) => Some("https://dev-api.rukapay.net"),
            (ProviderKind::Rukapay, Environment::Production) => Some("https://api.rukapay.net"),
            _ => None,
        }
    }

    pub fn environments(self) -> Vec<Environment> {
        let mut out: Vec<Environment> = [Environment::Sandbox, Environment::Production]
            .into_iter()
            .filter(|e| self.base_url(*e).is_some())
            .collect();
        if self != ProviderKind::Demo {
            out.push(Environment::Custom);
        }
        out
    }

    /// The fields of this provider's account form, secrets marked.
    pub fn fields(self) -> Vec<CredentialField> {
        match self {
            ProviderKind::Demo => vec![],
            ProviderKind::Vendify => vec![
                field("api_key", "API key", true, true, "X-Api-Key from the Vendify portal."),
                field(
                    "signing_secret",
                    "Signing secret",
                    true,
                    false,
                    "Key for X-Signature. Leave empty to sign with the API key itself.",
                ),
                CredentialField {
                    choices: vec!["hmac-sha256", "hmac-sha512", "sha256", "sha512"],
                    ..field(
                        "signature_scheme",
                        "Signature scheme",
                        false,
                        false,
                        "How X-Signature signs API key + nonce. Default hmac-sha256 (the documents name no algorithm; HMAC-SHA256 is the common choice). Ask Vendify support which one your account uses.",
                    )
                },
                field(
                    "wallet_id",
                    "Wallet ID",
                    false,
                    false,
                    "The wallet that pays, e.g. NGN-143 (see Report/AccountBalance). Leave empty to pick per purchase.",
                ),
            ],
            ProviderKind::Rukky => vec![
                field("api_key", "API key", true, true, "X-API-KEY from the Developer Portal."),
                field("pin", "Transaction PIN", true, true, "The 4-digit PIN required on VTU purchases."),
                field(
                    "webhook_secret",
                    "Webhook secret",
                    true,
                    false,
                    "Verifies X-Webhook-Signature on VTU callbacks.",
                ),
                field(
                    "api_origin",
                    "API origin",
                    false,
                    false,
                    "Sent as X-API-ORIGIN for keys restricted to whitelisted domains.",
                ),
            ],
            ProviderKind::Estoresms => vec![
                field("username", "Username", false, true, "Your eStoreSMS account username."),
                field("email", "Account email", false, true, "The email address of the account (part of the request hash)."),
                field("api_token", "API token", true, true, "Airtime/Data API token from the settings page."),
                field(
                    "password",
                    "Account password",
                    true,
                    false,
                    "Needed only for the balance check, which sends it in the URL (never logged).",
                ),
            ],
            ProviderKind::Rukapay => vec![
                field("api_key", "API key", true, true, "x-api-key from RukaPay."),
                CredentialField {
                    choices: vec!["ESCROW", "COMMISSION"],
                    ..field("wallet_type", "Wallet type", false, false, "Wallet that pays. Default ESCROW.")
                },
                field("callback_url", "Callback URL", false, false, "Optional webhook URL for status updates."),
                CredentialField {
                    choices: vec!["production", "sandbox"],
                    ..field(
                        "endpoints",
                        "Endpoint paths",
                        false,
                        false,
                        "Which paths a custom base URL uses: the -sandbox ones or the production ones. Default: sandbox for the sandbox environment, production otherwise.",
                    )
                },
                field("mode_airtime", "Airtime mode code", false, false, "transactionMode for airtime. Default PARTNER_AIRTIME (inferred; the document names only the MNO modes)."),
                field("mode_bank_send", "Bank transfer mode code", false, false, "transactionMode for bank sends. Default PARTNER_SEND_BANK (inferred)."),
                field("mode_bill_payment", "Bill payment mode code", false, false, "transactionMode for bills (NWSC, UMEME). Default PARTNER_BILL_PAYMENT (inferred)."),
            ],
        }
    }

    /// What the adapter for this kind declares (see DESIGN.md's provider matrix).
    pub fn capabilities(self) -> Capabilities {
        match self {
            ProviderKind::Demo => Capabilities {
                catalogue: true,
                validate_account: true,
                purchase: true,
                status_by_reference: true,
                balance: true,
                provider_history: false,
                voucher_resend: true,
                delivery_update: true,
                esim: true,
                push: false,
            },
            ProviderKind::Vendify => Capabilities {
                catalogue: true,
                validate_account: true,
                purchase: true,
                status_by_reference: true,
                balance: true,
                provider_history: true,
                voucher_resend: true,
                delivery_update: true,
                esim: true,
                push: false,
            },
            ProviderKind::Rukky => Capabilities {
                catalogue: true,
                validate_account: true,
                purchase: true,
                status_by_reference: false,
                balance: true,
                push: true,
                ..Capabilities::default()
            },
            ProviderKind::Estoresms => Capabilities {
                catalogue: true,
                purchase: true,
                status_by_reference: true,
                balance: true,
                provider_history: true,
                push: true,
                ..Capabilities::default()
            },
            // No balance call: walletBalance arrives in transfer answers and is recorded then.
            // No catalogue call either: the catalogue is the adapter's fixed list of services.
            ProviderKind::Rukapay => Capabilities {
                catalogue: true,
                validate_account: true,
                purchase: true,
                status_by_reference: true,
                balance: false,
                push: true,
                ..Capabilities::default()
            },
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for ProviderKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.as_str() == t || k.display_name().to_ascii_lowercase() == t)
            .ok_or_else(|| {
                format!("\"{s}\" is not a provider: use vendify, rukky, estoresms or rukapay")
            })
    }
}
