//! `resellerctl buy`, `orders list|show` and `reconcile`: the purchase pipeline headless.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Args, Subcommand};
use reseller_core::money::parse_amount;
use reseller_core::orders::{
    self, DeliveryView, OrderDetailView, OrderFilter, OrderStatus, OrderView, PageRequest,
    PlaceRequest, Resolution, SweepReport,
};
use reseller_core::views::{ProductOptionView, ValidationView};
use reseller_core::{Console, Error};

use crate::output::{self, money};

#[derive(Args)]
pub struct BuyArgs {
    /// Account id or label.
    #[arg(long, default_value = "demo")]
    pub account: String,
    /// Product id from `resellerctl catalog`.
    #[arg(long)]
    pub product: String,
    /// Phone number (or smartcard / meter number) to send to.
    #[arg(long)]
    pub to: String,
    /// Face value in the product's currency, e.g. 1000 or 7.20. With --plan it may be left
    /// out: the plan's price is the amount.
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    /// The plan (bouquet) to buy, by the code `resellerctl validate` lists, for products
    /// whose account number is validated first (cable TV).
    #[arg(long)]
    pub plan: Option<String>,
    /// The customer's phone number, for products that need it besides the smartcard or
    /// meter number (electricity, RukkyStore cable).
    #[arg(long)]
    pub customer_phone: Option<String>,
    /// The name on the receiving bank account (bank transfers).
    #[arg(long)]
    pub account_name: Option<String>,
    /// prepaid or postpaid, for electricity (default: the product's).
    #[arg(long)]
    pub service_type: Option<String>,
    /// The face value's currency (default: the product's).
    #[arg(long)]
    pub currency: Option<String>,
    /// The paying wallet (default: the provider's choice).
    #[arg(long)]
    pub wallet: Option<String>,
    /// Buy without asking for confirmation (required without a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Buy even though an identical order (same account, product, number and amount) is
    /// still being checked or went through in the last few minutes.
    #[arg(long)]
    pub allow_duplicate: bool,
    /// The most this order may cost, in the paying wallet's currency: a higher price at the
    /// moment of buying refuses it. On a terminal, the price you confirm is the limit.
    #[arg(long, allow_hyphen_values = true)]
    pub max_cost: Option<String>,
}

#[derive(Subcommand)]
pub enum OrdersCmd {
    /// Orders, newest first.
    List {
        /// Only orders in this status (prepared, submitted, pending, unknown, succeeded,
        /// failed, needs_attention, reversed).
        #[arg(long)]
        status: Option<String>,
        /// Account id or label.
        #[arg(long)]
        account: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// The `next` cursor printed by the previous page.
        #[arg(long)]
        after: Option<String>,
    },
    /// One order with its events, ledger entries and delivery.
    Show {
        /// Order id or reference (RC-...).
        order: String,
    },
    /// Close an order that needs attention, after checking it in the provider's portal.
    Resolve(ResolveArgs),
}

/// `resellerctl orders resolve ORDER --succeeded --provider-reference R --charged X` or
/// `--failed --note TEXT`.
#[derive(Args)]
pub struct ResolveArgs {
    /// Order id or reference (RC-...).
    pub order: String,
    /// The portal shows it done: give its reference and what it charged.
    #[arg(long, conflicts_with = "failed", requires_all = ["provider_reference", "charged"])]
    pub succeeded: bool,
    /// The portal does not have it, or shows it failed: the hold is released.
    #[arg(long, requires = "note")]
    pub failed: bool,
    /// The provider's reference for the order, as its portal shows it.
    #[arg(long)]
    pub provider_reference: Option<String>,
    /// What the provider took from the wallet, in the wallet's currency (e.g. 950.00).
    #[arg(long)]
    pub charged: Option<String>,
    /// What the portal shows, recorded with the failure.
    #[arg(long)]
    pub note: Option<String>,
    /// Who is resolving it (default: the logged-in user).
    #[arg(long)]
    pub by: Option<String>,
}

/// `resellerctl reconcile [--now] [--reviews]`.
#[derive(Args)]
pub struct ReconcileArgs {
    /// Check every open order now, ignoring the backoff, and fail intents left `prepared`
    /// at once instead of after a minute. Orders that a running app or another resellerctl
    /// is still placing are left to it, so this is safe while they buy.
    #[arg(long)]
    pub now: bool,
    /// Also take the late looks at closed orders now (a reversal the provider made after
    /// success, an order it booked after it was given up), instead of 1 h, 24 h and 72 h
    /// later.
    #[arg(long)]
    pub reviews: bool,
}

/// `resellerctl validate --account A --product P --number N [--service-type prepaid]`.
#[derive(Args)]
pub struct ValidateArgs {
    /// Account id or label.
    #[arg(long, default_value = "demo")]
    pub account: String,
    /// Product id from `resellerctl catalog`.
    #[arg(long)]
    pub product: String,
    /// The smartcard, decoder or meter number.
    #[arg(long)]
    pub number: String,
    /// prepaid or postpaid, for electricity meters.
    #[arg(long)]
    pub service_type: Option<String>,
}

/// Validates an account number and prints the customer's name and the plans it can buy.
/// Exit status 3 when the provider says the number is not valid.
pub async fn validate(
    console: &Console,
    account_id: String,
    args: ValidateArgs,
    json: bool,
) -> Result<u8, Error> {
    let v = console
        .validate_account_as(
            &account_id,
            &args.product,
            &args.number,
            args.service_type.as_deref(),
        )
        .await?;
    if json {
        output::print_json(&v);
    } else {
        print_validation(&v);
    }
    Ok(if v.valid { 0 } else { 3 })
}

fn print_validation(v: &ValidationView) {
    if !v.valid {
        println!(
            "Not valid: {}",
            v.message
                .as_deref()
                .unwrap_or("the provider did not accept the number")
        );
        return;
    }
    println!(
        "Customer: {}",
        v.account_name.as_deref().unwrap_or("(no name given)")
    );
    if let Some(m) = &v.message {
        println!("Note: {m}");
    }
    if v.options.is_empty() {
        println!("No plans to choose: buy with --amount.");
        return;
    }
    let rows: Vec<Vec<String>> = v
        .options
        .iter()
        .map(|o| vec![o.code.clone(), o.name.clone(), money(&o.price)])
        .collect();
    output::table(&["CODE", "PLAN", "PRICE"], &rows);
    println!("Buy one with: resellerctl buy ... --plan CODE");
}

/// The plan's code and the amount to buy it at: `--amount` when given (it must agree with
/// the plan's price), else the plan's price.
async fn choose_plan(
    console: &Console,
    args: &BuyArgs,
    account_id: &str,
    plan: &str,
) -> Result<(String, String), Error> {
    let v = console
        .validate_account_as(
            account_id,
            &args.product,
            &args.to,
            args.service_type.as_deref(),
        )
        .await?;
    if !v.valid {
        return Err(Error::invalid(
            "to",
            v.message
                .unwrap_or_else(|| format!("{} is not a valid account number", args.to.trim())),
        ));
    }
    let plan = plan.trim();
    let option = v
        .options
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(plan))
        .ok_or_else(|| {
            let codes: Vec<&str> = v.options.iter().map(|o| o.code.as_str()).collect();
            Error::invalid(
                "plan",
                if codes.is_empty() {
                    format!(
                        "{} lists no plans for this number; buy with --amount",
                        args.product
                    )
                } else {
                    format!(
                        "there is no plan \"{plan}\" for this number; choose one of {}",
                        codes.join(", ")
                    )
                },
            )
        })?;
    let amount = agreed_amount(args.amount.as_deref(), option)?;
    Ok((option.code.clone(), amount))
}

/// The plan's price, or `--amount` when it is the same value.
fn agreed_amount(given: Option<&str>, option: &ProductOptionView) -> Result<String, Error> {
    let price = &option.price.amount;
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(price.clone());
    };
    let same = match (parse_amount(given), parse_amount(price)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        return Err(Error::invalid(
            "amount",
            format!(
                "--amount {given} does not match the plan {} at {}; leave --amount out or use the plan's price",
                option.code,
                money(&option.price)
            ),
        ));
    }
    Ok(given.to_owned())
}

/// On a terminal, with neither --amount nor --plan: validate the number, list the plans
/// and let the cashier pick one. `None` when there are no plans to pick from.
async fn pick_plan_interactively(
    console: &Console,
    args: &BuyArgs,
    account_id: &str,
) -> Result<Option<(String, String)>, Error> {
    let v = console
        .validate_account_as(
            account_id,
            &args.product,
            &args.to,
            args.service_type.as_deref(),
        )
        .await?;
    print_validation(&v);
    if !v.valid || v.options.is_empty() {
        return Ok(None);
    }
    eprint!("Plan code to buy (empty to stop): ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::invalid("stdin", e.to_string()))?;
    let answer = answer.trim();
    if answer.is_empty() {
        return Ok(None);
    }
    let option = v
        .options
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(answer))
        .ok_or_else(|| {
            Error::invalid("plan", format!("there is no plan \"{answer}\" in the list"))
        })?;
    Ok(Some((option.code.clone(), option.price.amount.clone())))
}

/// Places one order; the number is the exit status (3 when the provider refused it).
pub async fn buy(
    console: &Console,
    account_id: String,
    args: BuyArgs,
    json: bool,
) -> Result<u8, Error> {
    let (product_code, amount) = match (&args.plan, &args.amount) {
        (Some(plan), _) => {
            let (code, amount) = choose_plan(console, &args, &account_id, plan).await?;
            (Some(code), amount)
        }
        (None, Some(amount)) => (None, amount.clone()),
        (None, None)
            if !args.yes
                && std::io::stdin().is_terminal()
                && console
                    .product(&account_id, &args.product, None)
                    .await?
                    .requires_validation =>
        {
            match pick_plan_interactively(console, &args, &account_id).await? {
                Some((code, amount)) => (Some(code), amount),
                None => {
                    output::done("Not bought.", json);
                    return Ok(1);
                }
            }
        }
        (None, None) => {
            return Err(Error::invalid(
                "amount",
                "give --amount, or --plan with a code from `resellerctl validate`",
            ))
        }
    };
    let mut req = PlaceRequest {
        account_id,
        product_id: args.product,
        recipient: args.to,
        amount,
        currency: args.currency,
        wallet_id: args.wallet,
        product_code,
        confirmed_cost: args.max_cost,
        allow_duplicate: args.allow_duplicate,
        customer_phone: args.customer_phone,
        account_name: args.account_name,
        service_type: args.service_type,
    };
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Error::invalid(
                "--yes",
                "there is no terminal to confirm the purchase on: add --yes to buy without asking",
            ));
        }
        let p = orders::preview(console, &req).await?;
        eprintln!(
            "Buy {} {} for {} from {} ({}).",
            p.product_name,
            money(&p.face_value),
            p.recipient,
            p.account_label,
            p.wallet_id
        );
        let estimate = if p.cost_is_estimate {
            " (estimate)"
        } else {
            ""
        };
        eprintln!("Cost: {}{estimate}", money(&p.cost));
        if let (Some(a), Some(after)) = (&p.available, &p.balance_after) {
            eprintln!("Available: {}  Balance after: {}", money(a), money(after));
        }
        for w in &p.warnings {
            eprintln!("Note: {w}");
        }
        if let Some(short) = p.shortfall {
            return Err(Error::InsufficientFunds { message: short });
        }
        if let Some(dup) = p.duplicate_of.as_deref().filter(|_| !req.allow_duplicate) {
            eprintln!("Careful: {dup}");
            if !ask("Buy it again anyway? [y/N] ")? {
                output::done("Not bought.", json);
                return Ok(1);
            }
            req.allow_duplicate = true;
        } else if !ask("Proceed? [y/N] ")? {
            output::done("Not bought.", json);
            return Ok(1);
        }
        // The price confirmed is the most it may cost when it is bought.
        req.confirmed_cost = Some(p.cost.amount.clone());
    }
    let order = orders::place(console, req).await?;
    print_order(&order, json);
    Ok(buy_exit_code(order.status))
}

/// What a purchase's exit status says (the table in `resellerctl --help`).
fn buy_exit_code(status: OrderStatus) -> u8 {
    match status {
        OrderStatus::Succeeded | OrderStatus::Pending => 0,
        OrderStatus::Failed | OrderStatus::Reversed => 3,
        OrderStatus::Prepared
        | OrderStatus::Submitted
        | OrderStatus::Unknown
        | OrderStatus::NeedsAttention => crate::EXIT_UNKNOWN,
    }
}

/// Asks a yes/no question on the terminal; anything but yes is no.
fn ask(question: &str) -> Result<bool, Error> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::invalid("stdin", e.to_string()))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

pub async fn list(
    console: &Console,
    status: Option<String>,
    account_id: Option<String>,
    limit: u32,
    after: Option<String>,
    json: bool,
) -> Result<(), Error> {
    let status = status
        .map(|s| {
            s.parse::<OrderStatus>()
                .map_err(|e| Error::invalid("--status", e))
        })
        .transpose()?;
    let page = Console::orders(
        console,
        &OrderFilter { status, account_id },
        &PageRequest { limit, after },
    )
    .await
    .map_err(|e| match e {
        Error::InvalidInput { field, reason } => Error::invalid(&format!("--{field}"), reason),
        other => other,
    })?;
    if json {
        output::print_json(&page);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .orders
        .iter()
        .map(|o| {
            vec![
                o.created_at.chars().take(19).collect(),
                o.reference.clone(),
                o.status.to_string(),
                o.product_name.clone(),
                o.recipient.clone(),
                money(&o.cost),
            ]
        })
        .collect();
    output::table(
        &["CREATED", "REFERENCE", "STATUS", "PRODUCT", "TO", "COST"],
        &rows,
    );
    if let Some(next) = &page.next {
        println!("More: --after '{next}'");
    }
    Ok(())
}

pub async fn show(console: &Console, key: &str, json: bool) -> Result<(), Error> {
    let d: OrderDetailView = console.order(key).await?;
    if json {
        output::print_json(&d);
        return Ok(());
    }
    print_order(&d.order, false);
    println!("\nEvents:");
    for e in &d.events {
        println!(
            "  {}  {:<22} {} -> {}",
            e.created_at.chars().take(19).collect::<String>(),
            e.kind,
            e.from_status.as_deref().unwrap_or("-"),
            e.to_status.as_deref().unwrap_or("-")
        );
    }
    println!("\nLedger entries:");
    for e in &d.entries {
        println!("  {:<9} {}  {}", e.kind, money(&e.amount), e.wallet_id);
    }
    if let Some(del) = &d.delivery {
        println!("\nDelivery ({}):", del.kind());
        for (label, value) in delivery_lines(del) {
            println!("  {label:<16} {value}");
        }
    }
    Ok(())
}

/// Every field of a delivery the customer may need, in the order a cashier reads them out.
fn delivery_lines(del: &DeliveryView) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut add = |label, value: Option<&String>| {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            out.push((label, v.clone()));
        }
    };
    add("voucher", del.voucher_code.as_ref());
    add("token", del.token.as_ref());
    add("redeem at", del.redemption_url.as_ref());
    add("how to redeem", del.redemption_info.as_ref());
    add("QR data", del.qr_code_data.as_ref());
    add("expires", del.expiration_date.as_ref());
    if let Some(e) = &del.esim {
        add("eSIM activation", e.activation_code.as_ref());
        add("ICCID", e.iccid.as_ref());
        add("iPhone install", e.ios_install_url.as_ref());
        add("Android install", e.android_install_url.as_ref());
        add("data usage", e.usage_url.as_ref());
    }
    for p in &del.pins {
        let mut line = p.pin.clone();
        if let Some(s) = p.serial.as_deref().filter(|s| !s.is_empty()) {
            line.push_str(&format!("  serial {s}"));
        }
        if let Some(x) = p.expires.as_deref().filter(|s| !s.is_empty()) {
            line.push_str(&format!("  expires {x}"));
        }
        out.push(("PIN", line));
    }
    out
}

pub async fn resolve(console: &Console, args: ResolveArgs, json: bool) -> Result<u8, Error> {
    let resolution =
        match (args.succeeded, args.failed) {
            (true, false) => Resolution::Succeeded {
                provider_reference: args.provider_reference.unwrap_or_default(),
                charged: args.charged.unwrap_or_default(),
            },
            (false, true) => Resolution::Failed {
                note: args.note.unwrap_or_default(),
            },
            _ => return Err(Error::invalid(
                "--succeeded",
                "say what the provider's portal shows: --succeeded (with --provider-reference and \
                 --charged) or --failed (with --note)",
            )),
        };
    let by = args
        .by
        .unwrap_or_else(|| reseller_core::access::os_user("resellerctl"));
    let order = console
        .resolve_order(&args.order, &resolution, &by)
        .await
        .map_err(|e| match e {
            Error::InvalidInput { field, reason } if !field.starts_with("--") => {
                Error::invalid(&format!("--{}", field.replace('_', "-")), reason)
            }
            other => other,
        })?;
    print_order(&order, json);
    Ok(0)
}

pub async fn reconcile(console: &Console, args: ReconcileArgs, json: bool) -> Result<u8, Error> {
    let report: SweepReport = if args.now || args.reviews {
        // `--now` (crash tests, operators): every open order, whatever its backoff;
        // `--reviews`: every late look at a closed order too.
        orders::Sweeper::new(console)
            .ignore_backoff(args.now)
            .force_reviews(args.reviews)
            .run_until_idle(console.clock().now())
            .await?
    } else {
        console.reconcile().await?
    };
    if json {
        output::print_json(&report);
    } else {
        for c in &report.changes {
            println!("{}  {} -> {}  {}", c.reference, c.from, c.to, c.note);
        }
        for e in &report.errors {
            eprintln!("not checked: {e}");
        }
        println!(
            "{} status check(s), {} order(s) changed.",
            report.checked,
            report.changes.len()
        );
    }
    Ok(if report.errors.is_empty() { 0 } else { 3 })
}

fn print_order(o: &OrderView, json: bool) {
    if json {
        output::print_json(o);
        return;
    }
    println!("Order     {}", o.id);
    println!("Reference {}", o.reference);
    println!("Status    {}", o.status);
    println!("Product   {} ({})", o.product_name, o.product_id);
    println!("To        {}", o.recipient);
    println!("Value     {}", money(&o.face_value));
    println!("Cost      {} from {}", money(&o.cost), o.wallet_id);
    if let Some(c) = o.charged.as_ref().filter(|c| **c != o.cost) {
        println!("Charged   {}", money(c));
    }
    if let Some(r) = &o.provider_reference {
        println!("Provider  {r}");
    }
    if let Some(r) = &o.failure_reason {
        println!("Reason    {r}");
    }
    match o.status {
        OrderStatus::Pending => println!(
            "The provider took it and is still working on it: `resellerctl reconcile` asks \
             again (it never resends)."
        ),
        OrderStatus::Unknown | OrderStatus::Submitted => println!(
            "This order may have gone through. Do not buy it again: `resellerctl reconcile` \
             asks the provider about {} (it never resends).",
            o.reference
        ),
        OrderStatus::NeedsAttention => println!(
            "Check {} in the provider's portal before buying again.",
            o.reference
        ),
        OrderStatus::Reversed => println!("The provider reversed it and refunded the wallet."),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::OrderStatus;
    use crate::{Cli, Command};

    #[test]
    fn buy_parses_its_flags_and_needs_the_product_number_and_amount() {
        let cli = Cli::try_parse_from([
            "resellerctl",
            "buy",
            "--product",
            "9418",
            "--to",
            "+2348031234567",
            "--amount",
            "1000",
            "--yes",
        ])
        .expect("parses");
        match cli.command {
            Command::Buy(b) => {
                assert_eq!(b.account, "demo");
                assert!(b.yes);
                assert_eq!(b.amount.as_deref(), Some("1000"));
            }
            _ => panic!("not buy"),
        }
        assert!(Cli::try_parse_from(["resellerctl", "buy", "--product", "9418"]).is_err());
    }

    #[test]
    fn a_purchase_exits_by_what_the_ledger_holds() {
        use super::buy_exit_code;
        assert_eq!(buy_exit_code(OrderStatus::Succeeded), 0);
        assert_eq!(buy_exit_code(OrderStatus::Pending), 0);
        assert_eq!(buy_exit_code(OrderStatus::Failed), 3);
        for open in [
            OrderStatus::Unknown,
            OrderStatus::Submitted,
            OrderStatus::NeedsAttention,
        ] {
            assert_eq!(buy_exit_code(open), crate::EXIT_UNKNOWN, "{open}");
        }
        assert!(
            Cli::try_parse_from([
                "resellerctl",
                "buy",
                "--product",
                "9418",
                "--to",
                "0803",
                "--amount",
                "-5",
                "--yes"
            ])
            .is_ok(),
            "a negative amount reaches the core, which says why it is refused"
        );
    }

    #[test]
    fn orders_list_and_show_and_reconcile_parse() {
        assert!(Cli::try_parse_from([
            "resellerctl",
            "orders",
            "list",
            "--status",
            "pending",
            "--limit",
            "5"
        ])
        .is_ok());
        assert!(Cli::try_parse_from(["resellerctl", "orders", "show", "RC-1"]).is_ok());
        assert!(Cli::try_parse_from([
            "resellerctl",
            "orders",
            "resolve",
            "RC-1",
            "--succeeded",
            "--provider-reference",
            "T-9",
            "--charged",
            "950"
        ])
        .is_ok());
        assert!(
            Cli::try_parse_from(["resellerctl", "orders", "resolve", "RC-1", "--succeeded"])
                .is_err(),
            "a success needs the reference and the charge"
        );
        assert!(Cli::try_parse_from([
            "resellerctl",
            "orders",
            "resolve",
            "RC-1",
            "--failed",
            "--note",
            "not in the portal"
        ])
        .is_ok());
        assert!(Cli::try_parse_from(["resellerctl", "--json", "reconcile"]).is_ok());
        assert!(Cli::try_parse_from(["resellerctl", "reconcile", "--now"]).is_ok());
        assert!(Cli::try_parse_from(["resellerctl", "reconcile", "--now", "--reviews"]).is_ok());
        assert!(Cli::try_parse_from(["resellerctl", "doctor"]).is_ok());
    }
}

#[cfg(test)]
mod delivery_tests {
    use super::*;
    use reseller_core::orders::{EsimView, PinView};

    #[test]
    fn every_delivery_field_is_printed_not_only_in_json() {
        let del = DeliveryView {
            voucher_code: Some("ABCD-1234".into()),
            pins: vec![PinView {
                pin: "1111".into(),
                serial: Some("SN9".into()),
                expires: None,
            }],
            token: None,
            redemption_url: Some("https://redeem.example/x".into()),
            redemption_info: Some("Enter the code at checkout".into()),
            qr_code_data: None,
            expiration_date: Some("2027-01-01".into()),
            esim: Some(EsimView {
                activation_code: Some("LPA:1$smdp.example$CODE".into()),
                iccid: Some("8901".into()),
                android_install_url: Some("https://android.example/i".into()),
                ios_install_url: Some("https://apple.example/i".into()),
                usage_url: Some("https://usage.example/u".into()),
            }),
        };
        let text: Vec<String> = delivery_lines(&del)
            .into_iter()
            .map(|(l, v)| format!("{l} {v}"))
            .collect();
        let all = text.join("\n");
        for want in [
            "voucher ABCD-1234",
            "redeem at https://redeem.example/x",
            "how to redeem Enter the code at checkout",
            "expires 2027-01-01",
            "eSIM activation LPA:1$smdp.example$CODE",
            "ICCID 8901",
            "iPhone install https://apple.example/i",
            "Android install https://android.example/i",
            "data usage https://usage.example/u",
            "PIN 1111  serial SN9",
        ] {
            assert!(all.contains(want), "{want} missing from:\n{all}");
        }
    }
}
