// A stand-in for the Rust backend, injected into the page before the app loads
// (page.addInitScript). It defines window.__TAURI_INTERNALS__ the way @tauri-apps/api's
// mockIPC does, answers every command in ui/src/lib/bindings.ts with data shaped exactly
// like the bindings' types (the demo provider's wallets and catalogue, one Vendify account),
// throws ErrorView objects the way the shell does, and records every call in
// window.__mock.calls so tests can assert on arguments.
//
// Behaviour is chosen by window.__MOCK_OPTIONS__, set by an earlier init script:
//   fail:         { [command]: ErrorView | ErrorView[] }  always throw it / throw each once, in turn
//   delays:       { [command]: milliseconds }             answer late (to see spinners, skeletons)
//   staleFor:     { [accountId]: n }                      dashboard marks the account stale for n calls
//   accounts:     'demo-only' | 'none'                    start with fewer accounts
//   testResults:  { [accountId]: ConnectionTest }         override a connection test's answer
//   orders:       'sample'                                start with 30 past orders (else none)
//   settleAfter:  n                                       get_order calls before a pending sandbox
//                                                         order (…0000002, …0000003) settles; 2
//   catalogueSavedAt: { [accountId]: stamp | null }       when each saved catalogue was fetched
//                                                         (null: not saved yet); the demo's three
//                                                         hours ago, Vendify's on 3 Mar 2025
//   priceRise:    n                                       the price goes up by n at the first
//                                                         purchase (a quote that moved after review)
//
// Orders follow the demo provider's sandbox numbers (crates/core/src/providers/demo): a
// recipient ending 0000001 fails at once, 0000002 is pending then succeeds, 0000003 is
// pending then fails; 0000009 ends unknown (the answer was lost); 0000008 needs attention
// (no way to ask the provider); any other succeeds. Holds, settles and releases move the wallets.
//
// Its data is typed with the generated bindings (JSDoc), so `npm run check` fails when the
// Rust types change and the mock no longer matches them.

/** @typedef {import('../src/lib/bindings').AccountView} AccountView */
/** @typedef {import('../src/lib/bindings').Capabilities} Capabilities */
/** @typedef {import('../src/lib/bindings').CatalogueQuery} CatalogueQuery */
/** @typedef {import('../src/lib/bindings').CatalogueRefresh} CatalogueRefresh */
/** @typedef {import('../src/lib/bindings').CatalogueView} CatalogueView */
/** @typedef {import('../src/lib/bindings').CategoryView} CategoryView */
/** @typedef {import('../src/lib/bindings').ConnectionTest} ConnectionTest */
/** @typedef {import('../src/lib/bindings').CredentialField} CredentialField */
/** @typedef {import('../src/lib/bindings').Dashboard} Dashboard */
/** @typedef {import('../src/lib/bindings').DenominationView} DenominationView */
/** @typedef {import('../src/lib/bindings').ErrorView} ErrorView */
/** @typedef {import('../src/lib/bindings').MoneyView} MoneyView */
/** @typedef {import('../src/lib/bindings').NewAccount} NewAccount */
/** @typedef {import('../src/lib/bindings').ProductView} ProductView */
/** @typedef {import('../src/lib/bindings').ProviderKind} ProviderKind */
/** @typedef {import('../src/lib/bindings').ProviderKindInfo} ProviderKindInfo */
/** @typedef {import('../src/lib/bindings').WalletView} WalletView */
/** @typedef {import('../src/lib/bindings').DeliveryView} DeliveryView */
/** @typedef {import('../src/lib/bindings').EntryView} EntryView */
/** @typedef {import('../src/lib/bindings').OrderDetailView} OrderDetailView */
/** @typedef {import('../src/lib/bindings').OrderEventView} OrderEventView */
/** @typedef {import('../src/lib/bindings').OrderFilter} OrderFilter */
/** @typedef {import('../src/lib/bindings').OrderPage} OrderPage */
/** @typedef {import('../src/lib/bindings').OrderStatus} OrderStatus */
/** @typedef {import('../src/lib/bindings').OrderView} OrderView */
/** @typedef {import('../src/lib/bindings').PageRequest} PageRequest */
/** @typedef {import('../src/lib/bindings').PlacePreview} PlacePreview */
/** @typedef {import('../src/lib/bindings').PlaceRequest} PlaceRequest */
/** @typedef {import('../src/lib/bindings').ProductOptionView} ProductOptionView */
/** @typedef {import('../src/lib/bindings').SweepReport} SweepReport */
/** @typedef {import('../src/lib/bindings').ValidationView} ValidationView */
/**
 * @typedef {{
 *   fail?: Record<string, ErrorView | ErrorView[]>,
 *   delays?: Record<string, number>,
 *   staleFor?: Record<string, number>,
 *   accounts?: 'demo-only' | 'none',
 *   testResults?: Record<string, ConnectionTest>,
 *   orders?: 'sample',
 *   settleAfter?: number,
 *   priceRise?: number,
 *   catalogueSavedAt?: Record<string, string | null>,
 * }} MockOptions
 */

(() => {
  'use strict';

  /** @type {any} */
  const win = window;
  /** @type {MockOptions} */
  const options = win.__MOCK_OPTIONS__ || {};
  /** @type {{ cmd: string, args: any }[]} */
  const calls = [];
  // The core's timestamps are RFC 3339 with microseconds.
  const NOW = new Date().toISOString().replace('Z', '000Z');
  const CREATED = '2025-01-06T08:15:02.000000Z';

  // --- Provider kinds, as crates/core/src/providers/kinds.rs declares them -------------------

  /** @param {(keyof Capabilities)[]} on @returns {Capabilities} */
  const caps = (on) => ({
    catalogue: false,
    validate_account: false,
    purchase: false,
    status_by_reference: false,
    balance: false,
    provider_history: false,
    voucher_resend: false,
    delivery_update: false,
    esim: false,
    push: false,
    ...Object.fromEntries(on.map((k) => [k, true])),
  });

  const CAPS = {
    demo: caps(['catalogue', 'validate_account', 'purchase', 'status_by_reference', 'balance', 'voucher_resend', 'delivery_update', 'esim']),
    vendify: caps(['catalogue', 'validate_account', 'purchase', 'status_by_reference', 'balance', 'provider_history', 'voucher_resend', 'delivery_update', 'esim']),
    rukky: caps(['catalogue', 'validate_account', 'purchase', 'balance', 'push']),
    estoresms: caps(['catalogue', 'purchase', 'status_by_reference', 'balance', 'provider_history', 'push']),
    rukapay: caps(['validate_account', 'purchase', 'status_by_reference', 'push']),
  };

  /**
   * @param {string} key @param {string} label @param {boolean} secret @param {boolean} required
   * @param {string} help @param {string[]} [choices] @returns {CredentialField}
   */
  const field = (key, label, secret, required, help, choices = []) => ({ key, label, secret, required, help, choices });

  /** @type {ProviderKindInfo[]} */
  const PROVIDER_KINDS = [
    {
      kind: 'vendify',
      name: 'Vendify',
      environments: [
        { environment: 'sandbox', base_url: 'https://sandboxapi.vendifydigital.com' },
        { environment: 'production', base_url: 'https://api.vendifydigital.com' },
        { environment: 'custom', base_url: null },
      ],
      fields: [
        field('api_key', 'API key', true, true, 'X-Api-Key from the Vendify portal.'),
        field('signing_secret', 'Signing secret', true, false, 'Key for X-Signature. Leave empty to sign with the API key itself.'),
        field('signature_scheme', 'Signature scheme', false, false, 'How X-Signature signs API key + nonce. Default hmac-sha256 (the documents name no algorithm; HMAC-SHA256 is the common choice). Ask Vendify support which one your account uses.', ['hmac-sha256', 'hmac-sha512', 'sha256', 'sha512']),
        field('wallet_id', 'Wallet ID', false, false, 'The wallet that pays, e.g. NGN-143 (see Report/AccountBalance). Leave empty to pick per purchase.'),
      ],
      capabilities: CAPS.vendify,
    },
    {
      kind: 'rukky',
      name: 'RukkyStore',
      environments: [
        { environment: 'production', base_url: 'https://www.rukkystore.com/api/v1' },
        { environment: 'custom', base_url: null },
      ],
      fields: [
        field('api_key', 'API key', true, true, 'X-API-KEY from the Developer Portal.'),
        field('pin', 'Transaction PIN', true, true, 'The 4-digit PIN required on VTU purchases.'),
        field('webhook_secret', 'Webhook secret', true, false, 'Verifies X-Webhook-Signature on VTU callbacks.'),
      ],
      capabilities: CAPS.rukky,
    },
    {
      kind: 'estoresms',
      name: 'eStoreSMS',
      environments: [
        { environment: 'production', base_url: 'https://estoresms.com' },
        { environment: 'custom', base_url: null },
      ],
      fields: [
        field('username', 'Username', false, true, 'Your eStoreSMS account username.'),
        field('email', 'Account email', false, true, 'The email address of the account (part of the request hash).'),
        field('api_token', 'API token', true, true, 'Airtime/Data API token from the settings page.'),
        field('password', 'Account password', true, false, 'Needed only for the balance check, which sends it in the URL (never logged).'),
      ],
      capabilities: CAPS.estoresms,
    },
    {
      kind: 'rukapay',
      name: 'RukaPay',
      environments: [
        { environment: 'sandbox', base_url: 'https://dev-api.rukapay.net' },
        { environment: 'production', base_url: 'https://api.rukapay.net' },
        { environment: 'custom', base_url: null },
      ],
      fields: [
        field('api_key', 'API key', true, true, 'x-api-key from RukaPay.'),
        field('wallet_type', 'Wallet type', false, false, 'Wallet that pays. Default ESCROW.', ['ESCROW', 'COMMISSION']),
        field('callback_url', 'Callback URL', false, false, 'Optional webhook URL for status updates.'),
      ],
      capabilities: CAPS.rukapay,
    },
  ];

  /** @type {Record<ProviderKind, string>} */
  const NAMES = { demo: 'Demo provider', vendify: 'Vendify', rukky: 'RukkyStore', estoresms: 'eStoreSMS', rukapay: 'RukaPay' };

  // --- Accounts and wallets ------------------------------------------------------------------

  const VENDIFY_ID = '5b0c3f5e-7a51-4d8a-9a43-2f1e0c6d9b10';

  /** @type {AccountView} */
  const DEMO_ACCOUNT = {
    id: 'demo',
    provider: 'demo',
    provider_name: 'Demo provider',
    label: 'Demo provider',
    environment: 'sandbox',
    base_url: 'demo://local',
    settings: {},
    stored_secrets: [],
    capabilities: CAPS.demo,
    created_at: CREATED,
    last_known_wallets: [],
  };

  /** @type {AccountView} */
  const VENDIFY_ACCOUNT = {
    id: VENDIFY_ID,
    provider: 'vendify',
    provider_name: 'Vendify',
    label: 'Vendify NGN',
    environment: 'production',
    base_url: 'https://api.vendifydigital.com',
    settings: { signature_scheme: 'hmac-sha256', wallet_id: 'NGN-143' },
    stored_secrets: ['api_key'],
    capabilities: CAPS.vendify,
    created_at: '2025-02-11T10:42:19.512004Z',
    last_known_wallets: [],
  };

  /** @type {AccountView[]} */
  const accounts =
    options.accounts === 'none' ? [] : options.accounts === 'demo-only' ? [DEMO_ACCOUNT] : [DEMO_ACCOUNT, VENDIFY_ACCOUNT];

  /** @param {string} wallet_id @param {string} amount @param {string} currency @returns {WalletView} */
  const wallet = (wallet_id, amount, currency, low = false) => ({
    wallet_id,
    balance: { amount, currency },
    observed_at: NOW,
    last_reported: false,
    low,
  });

  // The demo provider's opening balances (crates/core/src/providers/demo/catalogue.rs WALLETS).
  const DEMO_WALLETS = [
    wallet('NGN-DEMO', '1250000.00', 'NGN'),
    wallet('GBP-DEMO', '850.00', 'GBP'),
    wallet('USD-DEMO', '1200.00', 'USD'),
    wallet('UGX-DEMO', '4500000', 'UGX'),
  ];
  // Below the NGN low-balance threshold (20,000).
  const VENDIFY_WALLETS = [wallet('NGN-143', '15250.50', 'NGN', true)];
  const LAST_KNOWN_VENDIFY = [
    { ...wallet('NGN-143', '48730.25', 'NGN'), observed_at: '2025-03-03T16:20:11.000000Z', last_reported: true },
  ];
  // What list_accounts reports: the balances each provider last told us.
  DEMO_ACCOUNT.last_known_wallets = DEMO_WALLETS;
  VENDIFY_ACCOUNT.last_known_wallets = LAST_KNOWN_VENDIFY;

  /** @param {AccountView} account @returns {WalletView[]} */
  function walletsOf(account) {
    if (account.id === 'demo') return DEMO_WALLETS;
    if (account.id === VENDIFY_ID) return VENDIFY_WALLETS;
    return [wallet(`${account.provider.toUpperCase()}-1`, '0.00', 'NGN', true)];
  }

  /** @param {ProviderKind} provider @returns {ErrorView} */
  const unreachable = (provider) => ({
    code: 'provider_unreachable',
    message: `${NAMES[provider]} could not be reached (connection refused). Check the internet connection and the account's base URL, then try again.`,
    field: null,
  });

  // --- Catalogue (demo products from demo/catalogue.rs, priced as the demo provider does) ----

  /** @param {'fixed' | 'range'} kind @param {string} min @param {string} max @param {string} currency @returns {DenominationView} */
  const denom = (kind, min, max, currency) => ({ kind, min, max, currency });
  /** @param {string} amount @param {string} currency @returns {MoneyView} */
  const money = (amount, currency) => ({ amount, currency });

  /**
   * @param {Pick<ProductView, 'id' | 'name' | 'category_code' | 'category' | 'denominations'> & Partial<ProductView>} p
   * @returns {ProductView}
   */
  const product = (p) => ({
    code: null,
    sub_category: null,
    brand_family: null,
    operator: null,
    countries: [],
    cost: null,
    face_value: null,
    fx_rate: null,
    wallet_id: null,
    validity: null,
    description: null,
    requires_validation: false,
    needs: [],
    ...p,
  });

  /** @type {ProductView[]} */
  const DEMO_PRODUCTS = [
    product({
      id: '9418', code: 'MFIN5OR', name: 'MTN Airtime', category_code: 'airtime', category: 'Airtime',
      sub_category: 'Africa - Nigeria - MTN', brand_family: 'MTN', operator: 'MTN', countries: ['NGA'],
      denominations: [denom('fixed', '500', '500', 'NGN'), denom('range', '500', '50000', 'NGN')],
      cost: money('485.00', 'NGN'), face_value: money('500.00', 'NGN'), fx_rate: '1', wallet_id: 'NGN-DEMO',
      description: 'Airtime credited to the line within seconds.',
    }),
    product({
      id: 'D-MFIN-5-750MB', code: 'D-MFIN-5-750MB', name: 'MTN 750MB (30 days)', category_code: 'data-bundle',
      category: 'Data bundle', sub_category: 'Africa - Nigeria - MTN', brand_family: 'MTN', operator: 'MTN',
      countries: ['NGA'], denominations: [denom('fixed', '500', '500', 'NGN')],
      cost: money('480.00', 'NGN'), face_value: money('500.00', 'NGN'), fx_rate: '1', wallet_id: 'NGN-DEMO',
      validity: '30 days', description: 'Data bundle added to the line.',
    }),
    product({
      id: '9422', code: 'USE_VALIDATION_PRODUCT_CODE', name: 'DStv Subscription', category_code: 'cable-tv',
      category: 'Cable TV', sub_category: 'Africa - Nigeria - DSTV', brand_family: 'DStv', operator: 'DStv',
      countries: ['NGA'], denominations: [denom('range', '5100', '57500', 'NGN')],
      cost: money('5100.00', 'NGN'), face_value: money('5100.00', 'NGN'), fx_rate: '1', wallet_id: 'NGN-DEMO',
      validity: '1 month', description: 'Validate the smartcard number first, then pick a bouquet.',
      requires_validation: true,
    }),
    product({
      id: '9423', code: 'PHEDC-PREPAID', name: 'PHED Prepaid Electricity', category_code: 'electricity',
      category: 'Electricity', sub_category: 'Africa - Nigeria - PHED', brand_family: 'PHED',
      operator: 'Port Harcourt Electricity', countries: ['NGA'], denominations: [denom('range', '1000', '500000', 'NGN')],
      cost: money('990.00', 'NGN'), face_value: money('1000.00', 'NGN'), fx_rate: '1', wallet_id: 'NGN-DEMO',
      description: 'Validate the meter number first; the token is shown on success.', requires_validation: true,
      needs: ['customer_phone'],
    }),
    product({
      id: '7001', code: 'WAEC-RC', name: 'WAEC Result Checker PIN', category_code: 'exam-pin', category: 'Exam PIN',
      sub_category: 'Africa - Nigeria - WAEC', brand_family: 'WAEC', operator: 'WAEC', countries: ['NGA'],
      denominations: [denom('fixed', '3900', '3900', 'NGN')],
      cost: money('3822.00', 'NGN'), face_value: money('3900.00', 'NGN'), fx_rate: '1', wallet_id: 'NGN-DEMO',
      validity: '5 checks', description: 'A PIN and serial number for checking a WAEC result.',
    }),
    product({
      id: '4299', code: 'RW001827', name: 'Amazon UK eGift Voucher (Realtime)', category_code: 'giftcard',
      category: 'Gift Card', sub_category: 'E-Commerce & Online Shopping', brand_family: 'Amazon', operator: 'Amazon UK',
      countries: ['GBR'], denominations: [denom('range', '2', '1000', 'GBP')],
      cost: money('1.90', 'GBP'), face_value: money('2.00', 'GBP'), fx_rate: '1', wallet_id: 'GBP-DEMO',
      validity: '10 years',
      description: 'Amazon a leading online retailer of products that inform, educate, and inspire.',
    }),
    product({
      id: '5906', code: 'RB00001', name: 'Middle East 1GB', category_code: 'esim', category: 'eSim',
      sub_category: 'Middle East', brand_family: 'eSim', operator: 'Truphone',
      countries: ['ISR', 'JOR', 'KWT', 'OMN', 'SAU', 'ARE'], denominations: [denom('fixed', '7.2', '7.2', 'USD')],
      cost: money('7.20', 'USD'), face_value: money('7.20', 'USD'), fx_rate: '1', wallet_id: 'USD-DEMO',
      validity: '7 days',
      description: 'Usable in following (6) contries: Israel, Jordan, Kuwait, Oman, Saudi Arabia, United Arab Emirates. PLEASE NOTE: Plan is Valid for 7 days after activation.',
    }),
    product({
      id: 'UKBL-1755', code: 'UKBL-1755', name: 'EE UK Top-up', category_code: 'airtime', category: 'Airtime',
      sub_category: 'Europe - United Kingdom - EE', brand_family: 'EE', operator: 'Everything Everywhere EE',
      countries: ['GBR'],
      denominations: [denom('fixed', '5', '5', 'GBP'), denom('fixed', '10', '10', 'GBP'), denom('fixed', '15', '15', 'GBP')],
      cost: money('5.00', 'GBP'), face_value: money('5.00', 'GBP'), fx_rate: '1', wallet_id: 'GBP-DEMO',
      description: 'EE pay-as-you-go credit.',
    }),
    product({
      id: 'UG-MTN-AIR', code: 'PARTNER_AIRTIME', name: 'MTN Uganda Airtime', category_code: 'airtime', category: 'Airtime',
      sub_category: 'Africa - Uganda - MTN', brand_family: 'MTN', operator: 'MTN', countries: ['UGA'],
      denominations: [denom('range', '500', '500000', 'UGX')],
      cost: money('490', 'UGX'), face_value: money('500', 'UGX'), fx_rate: '1', wallet_id: 'UGX-DEMO',
      description: 'Airtime for MTN Uganda lines.',
    }),
  ];

  // Vendify quotes everything from the account's NGN wallet, converting with its FX rates.
  /** @type {ProductView[]} */
  const VENDIFY_PRODUCTS = [
    { ...DEMO_PRODUCTS[0], wallet_id: 'NGN-143' },
    product({
      ...DEMO_PRODUCTS[5],
      id: '4300', name: 'Amazon UK eGift Voucher £5', denominations: [denom('fixed', '5', '5', 'GBP')],
      face_value: money('5.00', 'GBP'), cost: money('10988.18', 'NGN'), fx_rate: '2313.3', wallet_id: 'NGN-143',
      description: 'A fixed £5 Amazon UK voucher.',
    }),
    { ...DEMO_PRODUCTS[6], cost: money('12394.80', 'NGN'), fx_rate: '1721.5', wallet_id: 'NGN-143' },
  ];

  /** @param {ProductView[]} products @returns {CategoryView[]} */
  function categoriesOf(products) {
    /** @type {CategoryView[]} */
    const out = [];
    for (const p of products) {
      if (!out.some((c) => c.code === p.category_code)) out.push({ code: p.category_code, name: p.category });
    }
    return out;
  }

  // The demo provider's filter rules: comma lists, "ALL" or empty matches everything.
  /** @param {string | null} value @param {string | null} filter */
  const matches = (value, filter) =>
    filter == null || filter.trim() === '' || filter.toUpperCase() === 'ALL' ||
    filter.split(',').some((f) => f.trim().toLowerCase() === String(value).toLowerCase());

  /** @param {ProductView[]} products @param {CatalogueQuery} q */
  function filterProducts(products, q) {
    const needle = q.search && q.search.trim() ? q.search.trim().toLowerCase() : null;
    return products
      .filter((p) => matches(p.category_code, q.category))
      .filter((p) => matches(p.brand_family, q.brand_family))
      .filter((p) => q.country == null || q.country.trim() === '' || p.countries.some((c) => matches(c, /** @type {string} */ (q.country))))
      .filter((p) => !needle || [p.name, p.operator, p.brand_family, p.code].some((s) => (s || '').toLowerCase().includes(needle)));
  }

  // The saved catalogues (crates/core/src/console/catalogue.rs): fetched on first use, then
  // answered from the copy until refresh_catalogue fetches it anew. eStoreSMS saves nothing.
  /** @type {Record<string, string | null>} */
  const savedAt = {
    demo: new Date(Date.now() - 3 * 3600_000).toISOString().replace('Z', '000Z'),
    [VENDIFY_ID]: '2025-03-03T16:20:11.000000Z',
    ...(options.catalogueSavedAt || {}),
  };

  /** @param {AccountView} a @param {CatalogueQuery} query @returns {CatalogueView} */
  function catalogueOf(a, query) {
    const products = filterProducts(a.id === VENDIFY_ID ? VENDIFY_PRODUCTS : DEMO_PRODUCTS, query);
    if (a.provider === 'estoresms') return { products, fetched_at: null, from_cache: false };
    const saved = savedAt[a.id];
    if (saved) return { products, fetched_at: saved, from_cache: true };
    savedAt[a.id] = new Date().toISOString().replace('Z', '000Z');
    return { products, fetched_at: savedAt[a.id], from_cache: false };
  }

  /** @param {AccountView} a @returns {CatalogueRefresh} */
  function refreshCatalogue(a) {
    if (a.provider === 'estoresms') {
      throw { code: 'unsupported', message: "eStoreSMS does not support a saved catalogue: its products depend on the customer's phone number.", field: null };
    }
    const fetched = new Date().toISOString().replace('Z', '000Z');
    savedAt[a.id] = fetched;
    return { account_id: a.id, product_count: (a.id === VENDIFY_ID ? VENDIFY_PRODUCTS : DEMO_PRODUCTS).length, fetched_at: fetched };
  }

  // --- Errors, as crates/core/src/error.rs and console.rs phrase them -----------------------

  /** @param {string} fieldName @param {string} reason @returns {ErrorView} */
  const invalid = (fieldName, reason) => ({ code: 'invalid_input', message: `${fieldName}: ${reason}`, field: fieldName });
  /** @param {string} id @returns {ErrorView} */
  const notFound = (id) => ({
    code: 'not_found',
    message: `Provider account "${id}" was not found. Reload the account list.`,
    field: null,
  });

  /** @param {string} id */
  function account(id) {
    const found = accounts.find((a) => a.id === id);
    if (!found) throw notFound(id);
    return found;
  }

  /** @param {NewAccount} input @returns {AccountView} */
  function addAccount(input) {
    const kind = PROVIDER_KINDS.find((k) => k.kind === input.provider);
    if (!kind) throw invalid('provider', 'the demo account is built in; choose Vendify, RukkyStore, eStoreSMS or RukaPay');
    const label = (input.label || '').trim();
    if (!label) throw invalid('label', 'give the account a name, e.g. "Vendify NGN"');
    if ([...label].length > 80) throw invalid('label', 'use at most 80 characters');
    if (accounts.some((a) => a.label.toLowerCase() === label.toLowerCase())) {
      throw invalid('label', `an account named "${label}" already exists; choose another name`);
    }
    let baseUrl;
    if (input.environment === 'custom') {
      const raw = (input.base_url || '').trim();
      if (!raw) throw invalid('base_url', 'a custom environment needs a base URL, e.g. https://staging.example.com');
      let url;
      try {
        url = new URL(raw);
      } catch {
        throw invalid('base_url', `"${raw}" is not a URL (relative URL without a base)`);
      }
      if (!/^https?:$/.test(url.protocol)) throw invalid('base_url', 'use an http:// or https:// address');
      baseUrl = raw.replace(/\/+$/, '');
    } else {
      const env = kind.environments.find((e) => e.environment === input.environment);
      if (!env || !env.base_url) {
        throw invalid('environment', `${kind.name} has no ${input.environment} environment; choose production or custom`);
      }
      baseUrl = env.base_url;
    }
    for (const key of [...Object.keys(input.settings), ...Object.keys(input.secrets)]) {
      if (!kind.fields.some((f) => f.key === key)) throw invalid(key, `${kind.name} accounts have no field "${key}"`);
    }
    /** @type {Record<string, string>} */
    const settings = {};
    /** @type {string[]} */
    const stored = [];
    for (const f of kind.fields) {
      if (f.secret) {
        if (f.key in input.settings) throw invalid(f.key, 'this is a secret: send it with the secrets');
        const v = (input.secrets[f.key] || '').trim();
        if (v) stored.push(f.key);
        else if (f.required) throw invalid(f.key, `${f.label} is required`);
      } else {
        if (f.key in input.secrets) throw invalid(f.key, 'this is not a secret: send it with the settings');
        const v = (input.settings[f.key] || '').trim();
        if (v) {
          if (f.choices.length && !f.choices.includes(v)) throw invalid(f.key, `choose one of ${f.choices.join(', ')}`);
          settings[f.key] = v;
        } else if (f.required) {
          throw invalid(f.key, `${f.label} is required`);
        }
      }
    }
    /** @type {AccountView} */
    const created = {
      id: crypto.randomUUID(),
      provider: kind.kind,
      provider_name: kind.name,
      label,
      environment: input.environment,
      base_url: baseUrl,
      settings,
      stored_secrets: stored,
      capabilities: kind.capabilities,
      created_at: NOW,
      last_known_wallets: [],
    };
    accounts.push(created);
    return created;
  }

  // --- Orders (crates/core/src/orders: place.rs, record.rs, views.rs) -----------------------

  const BOUQUETS = /** @type {[string, string, string][]} */ ([
    ['ng_dstv_showcompe36', 'Compact + Showmax', '17450'],
    ['ng_dstv_showasiae36', 'ASIAE36 + SHOWMAXE36', '15900'],
    ['ng_dstv_asiae36', 'DStv Indian', '12400'],
    ['ng_dstv_nnj1e36', 'DStv Yanga', '5100'],
    ['ng_dstv_showprwfrnse36', 'PremiumFrench + Showmax', '57500'],
    ['ng_dstv_comple36', 'DStv Compact Plus', '25000'],
    ['ng_dstv_frn7e36', 'DStv French Touch', '5800'],
    ['ng_dstv_showcomple36', 'CompactPlus + Showmax', '26750'],
  ]);
  /** @type {ProductOptionView[]} */
  const DSTV_OPTIONS = BOUQUETS.map(([code, name, price]) => ({ code, name, price: money(price, 'NGN'), months: 1 }));

  /** @param {string} currency */
  const digitsOf = (currency) => (currency === 'UGX' ? 0 : 2);
  /** @param {number} n @param {string} currency */
  const amountText = (n, currency) => n.toFixed(digitsOf(currency));
  /** "₦1,250.00", as place.rs display_amount writes it. @param {number} n @param {string} currency */
  function display(n, currency) {
    const [int, frac] = Math.abs(n).toFixed(digitsOf(currency)).split('.');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
    const sign = n < 0 ? '-' : '';
    const symbol = /** @type {Record<string, string>} */ ({ NGN: '₦', GBP: '£', USD: '$', EUR: '€' })[currency];
    return symbol ? `${sign}${symbol}${grouped}` : `${sign}${currency} ${grouped}`;
  }
  /** The core's RFC 3339 with microseconds. @param {Date} d */
  const stamp = (d) => d.toISOString().replace('Z', '000Z');

  /** @param {AccountView} a */
  const productsOf = (a) => (a.id === VENDIFY_ID ? VENDIFY_PRODUCTS : DEMO_PRODUCTS);

  let priceRisen = false;

  /** The product priced for a face value, as `product` and the quote do. */
  /** @param {ProductView} p @param {string | null} faceValue @returns {ProductView} */
  function priced(p, faceValue) {
    if (!p.cost || !p.face_value || faceValue == null) return p;
    const rate = Number(p.cost.amount) / Number(p.face_value.amount);
    const face = Number(faceValue);
    // A test's price rise, in force from the first purchase after the review.
    const rise = priceRisen ? (options.priceRise ?? 0) : 0;
    return {
      ...p,
      face_value: money(amountText(face, p.face_value.currency), p.face_value.currency),
      cost: money(amountText(face * rate + rise, p.cost.currency), p.cost.currency),
    };
  }

  /** @typedef {{ order: OrderView, events: OrderEventView[], entries: EntryView[], delivery: DeliveryView | null, then: OrderStatus | null, reads: number }} StoredOrder */
  /** @type {StoredOrder[]} */
  const orders = [];

  /** @param {string} walletId */
  function initialBalance(walletId) {
    const w = [...DEMO_WALLETS, ...VENDIFY_WALLETS].find((x) => x.wallet_id === walletId);
    return w ? Number(w.balance.amount) : null;
  }

  /** The last balance minus what open orders hold and succeeded ones spent. @param {string} walletId */
  function available(walletId) {
    const start = initialBalance(walletId);
    if (start === null) return null;
    const used = orders
      .filter((o) => o.order.wallet_id === walletId && !['failed', 'reversed'].includes(o.order.status))
      .reduce((sum, o) => sum + Number(o.order.cost.amount), 0);
    return start - used;
  }

  /** place.rs validate(): the same checks, in the same order, with the same words. @param {PlaceRequest} req */
  function validatePlace(req) {
    const a = accounts.find((x) => x.id === req.account_id.trim());
    if (!a) throw invalid('account', `there is no provider account "${req.account_id.trim()}"; choose one from the list`);
    if (!req.product_id.trim()) throw invalid('product', 'choose a product to buy');
    const recipient = req.recipient.trim().replace(/[\s-]/g, '');
    if (!recipient) throw invalid('recipient', 'enter the phone, smartcard or meter number to send to');
    if ([...recipient].length > 64) throw invalid('recipient', 'use at most 64 characters');
    if (!/^\d+(\.\d+)?$/.test(req.amount.trim())) throw invalid('amount', `"${req.amount}" is not an amount; write it like 1250.50`);
    const face = Number(req.amount);
    if (face <= 0) throw invalid('amount', 'enter an amount above zero');
    const p = productsOf(a).find((x) => x.id === req.product_id.trim());
    if (!p) throw invalid('product', `${a.provider} has no product ${req.product_id.trim()}`);
    if (p.requires_validation && req.product_code == null && (p.code == null || p.code === 'USE_VALIDATION_PRODUCT_CODE')) {
      throw invalid('product', `${p.name} needs the account number validated and a plan chosen first: validate it in the Buy form, or run \`resellerctl validate\` and buy with --plan`);
    }
    // place.rs check_needs: a field the product's provider requires, refused by name.
    const labels = { customer_phone: "the customer's phone number", account_name: "the account holder's name at the bank" };
    for (const need of p.needs) {
      if (!(req[need] ?? '').trim()) throw invalid(need, `${a.provider} needs ${labels[need]} for ${p.name}; enter it`);
    }
    const currency = p.denominations[0].currency;
    if (!p.denominations.some((d) => face >= Number(d.min) && face <= Number(d.max))) {
      const values = p.denominations.map((d) => (d.min === d.max ? display(Number(d.min), d.currency) : `${display(Number(d.min), d.currency)} to ${display(Number(d.max), d.currency)}`));
      throw invalid('amount', `${p.name} is sold at ${values.join(' or ')}; ${display(face, currency)} is not one of them`);
    }
    const quote = priced(p, String(face));
    const cost = /** @type {MoneyView} */ (quote.cost);
    const walletId = req.wallet_id ?? /** @type {string} */ (p.wallet_id);
    const phoneError = PHONE_CATEGORIES.includes(p.category_code) ? localPhoneError(recipient, p.countries) : null;
    if (phoneError) throw invalid('recipient', phoneError);
    return { account: a, product: p, recipient, face: money(amountText(face, currency), currency), cost, walletId };
  }

  /** @param {PlaceRequest} req @returns {PlacePreview} */
  function previewOrder(req) {
    const v = validatePlace(req);
    const left = available(v.walletId);
    return {
      account_label: v.account.label,
      product_name: v.product.name,
      recipient: v.recipient,
      face_value: v.face,
      cost: v.cost,
      wallet_id: v.walletId,
      available: left === null ? null : money(amountText(left, v.cost.currency), v.cost.currency),
      balance_after: left === null ? null : money(amountText(left - Number(v.cost.amount), v.cost.currency), v.cost.currency),
      cost_is_estimate: false,
      warnings: networkWarnings(v.product, v.recipient),
      duplicate_of: duplicateMessage(identical(v)),
      shortfall:
        left !== null && left < Number(v.cost.amount)
          ? `Insufficient balance in the ${v.account.label} wallet: ${display(Number(v.cost.amount) - left, v.cost.currency)} short. ` +
            `${display(left, v.cost.currency)} is available in ${v.walletId} after open orders and this order costs ${display(Number(v.cost.amount), v.cost.currency)}. ` +
            `Top up the wallet at ${v.account.provider_name}, or choose a smaller amount.`
          : null,
    };
  }

  /** place.rs PHONE_CATEGORIES: whose recipient is a mobile number, checked by phone.rs. */
  const PHONE_CATEGORIES = ['airtime', 'data-bundle', 'data', 'sme'];

  /**
   * phone.rs check_recipient(), only as far as the tests need it: a letter in the number, and
   * a local number (leading 0) of the wrong length for the product's first country, in the
   * same words. Anything else passes here; the real backend has the full rules.
   * @param {string} recipient @param {string[]} countries @returns {string | null}
   */
  function localPhoneError(recipient, countries) {
    const plan = PHONE_PLANS[countries[0]];
    const letter = [...recipient].find((c) => /\p{L}/u.test(c));
    if (letter) {
      return /^[oO]$/.test(letter)
        ? `${recipient} has the letter ${letter} in it: type the digit 0 (zero) instead, like ${plan?.local ?? '0803 123 4567'}`
        : `${recipient} has a letter (${letter}) in it: a phone number is digits only, like ${plan?.local ?? '0803 123 4567'}`;
    }
    if (!plan || !recipient.startsWith('0') || recipient.startsWith('00')) return null;
    const nsn = recipient.replace(/\D/g, '').slice(1);
    if (nsn.length === plan.nsn) return null;
    const n = Math.abs(nsn.length - plan.nsn);
    const digits = `${['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][n] ?? n} digit${n === 1 ? '' : 's'}`;
    const hint = `it should have ${plan.nsn + 1} digits, like ${plan.local}`;
    return nsn.length < plan.nsn
      ? `${recipient} is ${digits} short for ${plan.singular}: ${hint}`
      : `${recipient} is ${digits} too long for ${plan.singular}: ${hint}`;
  }

  /** phone.rs plans for the countries the demo products are sold in. */
  /** @type {Record<string, { nsn: number, singular: string, local: string }>} */
  const PHONE_PLANS = {
    NGA: { nsn: 10, singular: 'a Nigerian mobile number', local: '0803 123 4567' },
    UGA: { nsn: 9, singular: 'a Ugandan mobile number', local: '0772 123456' },
    GBR: { nsn: 10, singular: 'a UK mobile number', local: '07700 900123' },
  };

  /** phone.rs check_recipient(): a Glo prefix on an MTN product is a warning, not an error. @param {ProductView} p @param {string} recipient */
  function networkWarnings(p, recipient) {
    const local = recipient.replace(/^\+234/, '0');
    if (p.operator === 'MTN' && /^0(805|807|705|815|811|905|915)/.test(local)) {
      return [`${local.slice(0, 4)} is a Glo prefix: choose a Glo product instead, or continue if the number was ported to MTN`];
    }
    return [];
  }

  const REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  /** @param {number} n */
  const randomText = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => REF_ALPHABET[b % 32]).join('');

  /** What the demo provider delivers, by category. @param {ProductView} p @returns {DeliveryView | null} */
  function deliveryFor(p) {
    const none = { voucher_code: null, pins: [], token: null, redemption_url: null, redemption_info: null, qr_code_data: null, expiration_date: null, esim: null };
    switch (p.category_code) {
      case 'giftcard':
        return { ...none, voucher_code: 'QKTM-WXPA-HRZC-DNBE', redemption_url: 'https://www.amazon.co.uk/gc/redeem', redemption_info: 'Sign in to Amazon.co.uk, open Gift Cards and enter the code.', expiration_date: '2035-12-09' };
      case 'exam-pin':
        return { ...none, pins: [{ pin: '482915730264', serial: 'WRN730264518', expires: '1 year' }] };
      case 'electricity':
        return { ...none, token: '5823-1174-9902-6631-0478' };
      case 'esim': {
        const lpa = 'LPA:1$rsp.truphone.com$JQ-KQWMTB-XRPDAHN';
        const iccid = '8943108165012345678';
        return {
          ...none,
          qr_code_data: lpa,
          expiration_date: '2026-12-09',
          esim: {
            activation_code: lpa,
            iccid,
            android_install_url: `https://demo.resellerconsole.invalid/esim/esimsetup?card=${lpa}`,
            ios_install_url: `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=${lpa}`,
            usage_url: `https://demo.resellerconsole.invalid/esim/esimbalance?iccid=${iccid}`,
          },
        };
      }
      default:
        return null;
    }
  }

  const SANDBOX_FAIL = 'Transaction failed: the recipient number is barred (sandbox number ending 0000001).';
  const SANDBOX_LATE_FAIL = 'Transaction failed at the network; the charge was refunded (sandbox number ending 0000003).';

  /**
   * Moves an order as record.rs step() does: the event, the ledger entry, the fields.
   * @param {StoredOrder} o @param {OrderStatus} to @param {string} event @param {string | null} message @param {Date} when
   */
  function move(o, to, event, message, when) {
    const at = stamp(when);
    const from = o.order.status;
    const cost = o.order.cost;
    const detail = { provider_status: to === 'pending' ? 'pending' : to, provider_reference: o.order.provider_reference, charged: to === 'succeeded' ? `${cost.currency} ${cost.amount}` : null, message };
    const entry = to === 'succeeded' ? 'settle' : to === 'failed' ? 'release' : null;
    if (entry) o.entries.push({ kind: entry, amount: cost, wallet_id: o.order.wallet_id, note: event, created_at: at });
    o.events.push({ kind: event, from_status: from, to_status: to, detail, created_at: at });
    o.order.status = to;
    o.order.updated_at = at;
    if (to === 'succeeded') {
      o.order.settled_at = at;
      o.order.charged = cost;
    }
    if (to === 'failed' || to === 'unknown') o.order.failure_reason = message;
    o.order.next_check_at = to === 'pending' ? stamp(new Date(when.getTime() + 5000)) : null;
  }

  /**
   * @param {ReturnType<typeof validatePlace>} v @param {Date} when
   * @param {'succeed' | 'fail' | 'pending-succeed' | 'pending-fail' | 'unknown' | 'attention'} script
   */
  function createOrder(v, when, script, productCode = /** @type {string | null} */ (null)) {
    const at = stamp(when);
    const reference = `RC-${randomText(26)}`;
    /** @type {OrderView} */
    const order = {
      id: crypto.randomUUID(),
      account_id: v.account.id,
      reference,
      status: 'prepared',
      product_id: v.product.id,
      product_name: v.product.name,
      category_code: v.product.category_code,
      recipient: v.recipient,
      face_value: v.face,
      cost: v.cost,
      charged: null,
      wallet_id: v.walletId,
      provider_reference: `DEMO-${randomText(10)}`,
      failure_reason: null,
      status_checks: 0,
      next_check_at: null,
      created_at: at,
      updated_at: at,
      settled_at: null,
    };
    const o = {
      order,
      events: /** @type {OrderEventView[]} */ ([
        { kind: 'created', from_status: null, to_status: 'prepared', detail: { reference, cost: `${v.cost.currency} ${v.cost.amount}`, product_code: productCode }, created_at: at },
        { kind: 'submitted', from_status: 'prepared', to_status: 'submitted', detail: {}, created_at: at },
      ]),
      entries: /** @type {EntryView[]} */ ([{ kind: 'hold', amount: v.cost, wallet_id: v.walletId, note: null, created_at: at }]),
      delivery: /** @type {DeliveryView | null} */ (null),
      then: /** @type {OrderStatus | null} */ (null),
      reads: 0,
    };
    order.status = 'submitted';
    if (script === 'fail') {
      move(o, 'failed', 'failed', SANDBOX_FAIL, when);
    } else if (script === 'attention') {
      move(o, 'needs_attention', 'cannot_check', `demo cannot look an order up by our reference and gave no transaction id: check ${reference} in its portal before buying again`, when);
    } else if (script === 'unknown') {
      move(o, 'unknown', 'outcome_unknown', `This order may have gone through: demo did not answer within 30 s. Reseller Console is checking with demo by reference ${reference} and will show the result here. Do not buy it again for this customer until then.`, when);
    } else if (script === 'succeed') {
      move(o, 'succeeded', 'succeeded', 'Transaction successful', when);
      o.delivery = deliveryFor(v.product);
    } else {
      move(o, 'pending', 'pending', 'Transaction is being processed', when);
      o.then = script === 'pending-succeed' ? 'succeeded' : 'failed';
    }
    orders.unshift(o);
    return o;
  }

  /** The sandbox script a recipient chooses. @param {string} recipient */
  function scriptFor(recipient) {
    const last = recipient.replace(/\D/g, '').slice(-7);
    return last === '0000001' ? 'fail' : last === '0000002' ? 'pending-succeed' : last === '0000003' ? 'pending-fail' : last === '0000009' ? 'unknown' : last === '0000008' ? 'attention' : 'succeed';
  }

  /** A pending order's provider answers; returns the move made. @param {StoredOrder} o */
  function settle(o) {
    if (o.order.status !== 'pending' || !o.then) return null;
    const from = o.order.status;
    o.order.status_checks += 1;
    if (o.then === 'succeeded') {
      move(o, 'succeeded', 'succeeded', 'Transaction successful', new Date());
      o.delivery = deliveryFor(/** @type {ProductView} */ (DEMO_PRODUCTS.find((p) => p.id === o.order.product_id)));
    } else {
      move(o, 'failed', 'failed', SANDBOX_LATE_FAIL, new Date());
    }
    o.then = null;
    return { order_id: o.order.id, reference: o.order.reference, from, to: o.order.status, note: o.events[o.events.length - 1].kind };
  }

  /** place.rs: an identical order still open, or succeeded in the last ten minutes. */
  function identical(/** @type {ReturnType<typeof validatePlace>} */ v) {
    const since = Date.now() - 10 * 60_000;
    return (
      orders.find(
        (o) =>
          o.order.account_id === v.account.id &&
          o.order.product_id === v.product.id &&
          o.order.recipient === v.recipient &&
          o.order.face_value.amount === v.face.amount &&
          (['prepared', 'submitted', 'pending', 'unknown', 'needs_attention'].includes(o.order.status) ||
            (o.order.status === 'succeeded' && Date.parse(o.order.created_at) >= since)),
      )?.order ?? null
    );
  }

  /** @param {OrderView | null} o */
  function duplicateMessage(o) {
    if (!o) return null;
    return o.status === 'succeeded'
      ? `An identical order (${o.reference}) went through at ${o.created_at.slice(11, 16)}. Buy again only if the customer asked for a second one.`
      : `An identical order (${o.reference}) is still being checked with the provider and may have gone through. Wait for its result; buy again only if you are sure it failed.`;
  }

  /** @param {PlaceRequest} req @returns {OrderView} */
  function buy(req) {
    // The provider's price goes up between the review and the purchase (a test option).
    if (options.priceRise) priceRisen = true;
    const v = validatePlace(req);
    if (req.confirmed_cost != null && Number(v.cost.amount) > Number(req.confirmed_cost)) {
      throw {
        code: 'price_changed',
        message: `The price changed from ${display(Number(req.confirmed_cost), v.cost.currency)} to ${display(Number(v.cost.amount), v.cost.currency)} since you confirmed. Nothing was bought: review the new price and confirm again.`,
        field: null,
      };
    }
    const same = identical(v);
    if (same && !req.allow_duplicate) {
      throw { code: 'duplicate_order', message: duplicateMessage(same), field: null };
    }
    const left = available(v.walletId);
    if (left !== null && Number(v.cost.amount) > left) {
      const cur = v.cost.currency;
      throw {
        code: 'insufficient_balance',
        message: `Insufficient balance at ${v.account.provider}: the ${v.account.label} ${cur} wallet (${v.walletId}) is ${display(Number(v.cost.amount) - left, cur)} short (available ${display(left, cur)}, this order costs ${display(Number(v.cost.amount), cur)}). Top up the wallet and try again.`,
        field: null,
      };
    }
    return createOrder(v, new Date(), scriptFor(v.recipient), req.product_code).order;
  }

  /** @param {string} id */
  function findOrder(id) {
    const o = orders.find((x) => x.order.id === id);
    if (!o) throw { code: 'not_found', message: `Order "${id}" was not found. Reload the order list.`, field: null };
    return o;
  }

  /** resolve.rs: a person closes a needs_attention order. @param {string} id @param {import('../src/lib/bindings').Resolution} r @returns {OrderView} */
  function resolveOrder(id, r) {
    const o = findOrder(id);
    if (o.order.status !== 'needs_attention') {
      throw invalid('order', `${o.order.reference} is ${o.order.status}, not waiting for a person`);
    }
    if (r.outcome === 'succeeded') {
      if (!r.provider_reference.trim()) throw invalid('provider_reference', "enter the provider's reference for this order, as its portal shows it");
      if (!/^\d+(\.\d+)?$/.test(r.charged.trim())) throw invalid('charged', `"${r.charged}" is not an amount`);
      o.order.provider_reference = r.provider_reference.trim();
      move(o, 'succeeded', 'resolved_succeeded', 'resolved by hand', new Date());
    } else {
      if (!r.note.trim()) throw invalid('note', "say what the provider's portal shows");
      move(o, 'failed', 'resolved_failed', r.note.trim(), new Date());
    }
    return o.order;
  }

  /** @param {string} id @returns {OrderDetailView} */
  function getOrder(id) {
    const o = findOrder(id);
    o.reads += 1;
    if (o.reads >= (options.settleAfter ?? 2)) settle(o);
    return { order: o.order, events: o.events, entries: o.entries, delivery: o.delivery };
  }

  /** Newest first; `after` is the last id of the previous page. @param {OrderFilter} filter @param {PageRequest} page @returns {OrderPage} */
  function listOrders(filter, page) {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > 500) throw invalid('limit', 'ask for 1 to 500 orders');
    const all = orders
      .filter((o) => filter.status == null || o.order.status === filter.status)
      .filter((o) => filter.account_id == null || o.order.account_id === filter.account_id)
      .map((o) => o.order)
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    const start = page.after == null ? 0 : all.findIndex((o) => o.id === page.after) + 1;
    const slice = all.slice(start, start + page.limit);
    const more = start + page.limit < all.length;
    return { orders: slice, next: more ? slice[slice.length - 1].id : null };
  }

  /** @returns {SweepReport} */
  function reconcile() {
    const open = orders.filter((o) => o.order.status === 'pending');
    const changes = open.map(settle).filter((c) => c !== null);
    return { checked: open.length, changes: /** @type {SweepReport['changes']} */ (changes), errors: [] };
  }

  // Past orders for the list: one of each outcome, spread over the last days.
  if (options.orders === 'sample') {
    const recipients = ['08031234567', '08039876543', '4222863979', '07012345678', '+447700900123'];
    const products = ['9418', 'D-MFIN-5-750MB', '9422', '7001', 'UKBL-1755', '4299'];
    for (let i = 29; i >= 0; i--) {
      const p = /** @type {ProductView} */ (DEMO_PRODUCTS.find((x) => x.id === products[i % products.length]));
      const face = p.denominations[0].min;
      const v = { account: DEMO_ACCOUNT, product: p, recipient: recipients[i % recipients.length], face: money(face, p.denominations[0].currency), cost: /** @type {MoneyView} */ (priced(p, face).cost), walletId: /** @type {string} */ (p.wallet_id) };
      const when = new Date(Date.now() - (i * 7 + 3) * 3600_000);
      createOrder(v, when, i % 7 === 3 ? 'fail' : i === 0 ? 'pending-succeed' : 'succeed');
    }
  }

  let dashboardCalls = 0;

  /** @returns {Dashboard} */
  function dashboard() {
    dashboardCalls += 1;
    return {
      accounts: accounts.map((a) => {
        const staleFor = (options.staleFor || {})[a.id] || 0;
        if (dashboardCalls <= staleFor) {
          return { account: a, wallets: a.id === VENDIFY_ID ? LAST_KNOWN_VENDIFY : walletsOf(a), unreported_wallets: [], error: unreachable(a.provider), stale: true };
        }
        return { account: a, wallets: walletsOf(a), unreported_wallets: [], error: null, stale: false };
      }),
      generated_at: NOW,
    };
  }

  /** @param {string} id @returns {ConnectionTest} */
  function testAccount(id) {
    const a = account(id);
    const override = (options.testResults || {})[id];
    if (override) return override;
    if (a.id === VENDIFY_ID) {
      const message = 'Vendify rejected the credentials: Invalid API key. Check the API key stored for the account (in the app: Providers; on the command line: `resellerctl accounts test ACCOUNT`).';
      return { ok: false, message, wallets: [], error: { code: 'provider_auth', message, field: null } };
    }
    if (a.environment === 'custom') {
      const error = unreachable(a.provider);
      return { ok: false, message: error.message, wallets: [], error };
    }
    const wallets = walletsOf(a);
    return { ok: true, message: `Connected to ${a.provider_name}: ${wallets.length} wallet(s) found.`, wallets, error: null };
  }

  /** @type {Record<string, (args: any) => unknown>} */
  const HANDLERS = {
    app_info: () => ({
      version: '0.1.0',
      data_dir: '/home/amaka/.local/share/com.resellerconsole.desktop',
      log_dir: '/home/amaka/.local/share/com.resellerconsole.desktop/logs',
      ledger_file: '/home/amaka/.local/share/com.resellerconsole.desktop/ledger.sqlite3',
    }),
    dashboard: () => dashboard(),
    attention_orders: () =>
      orders
        .map((o) => o.order)
        .filter((o) => o.status === 'needs_attention' || o.status === 'reversed')
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at)),
    list_accounts: () => accounts.map((a) => ({ ...a })),
    provider_kinds: () => PROVIDER_KINDS,
    add_account: ({ input }) => addAccount(input),
    remove_account: ({ id }) => {
      if (id === 'demo') throw invalid('account', 'the demo account is built in and cannot be removed');
      account(id);
      accounts.splice(accounts.findIndex((a) => a.id === id), 1);
      return null;
    },
    test_account: ({ id }) => testAccount(id),
    categories: ({ accountId }) => {
      const a = account(accountId);
      if (!a.capabilities.catalogue) throw { code: 'unsupported', message: `${a.provider_name} does not support catalogue.`, field: null };
      return categoriesOf(a.id === VENDIFY_ID ? VENDIFY_PRODUCTS : DEMO_PRODUCTS);
    },
    catalogue: ({ accountId, query }) => {
      const a = account(accountId);
      if (!a.capabilities.catalogue) throw { code: 'unsupported', message: `${a.provider_name} does not support catalogue.`, field: null };
      return catalogueOf(a, query);
    },
    refresh_catalogue: ({ accountId }) => {
      const a = account(accountId);
      if (!a.capabilities.catalogue) throw { code: 'unsupported', message: `${a.provider_name} does not support catalogue.`, field: null };
      return refreshCatalogue(a);
    },
    ui_ready: () => null,
    product: ({ accountId, productId, faceValue }) => {
      const a = account(accountId);
      const p = productsOf(a).find((x) => x.id === productId);
      if (!p) throw invalid('product', `${a.provider} has no product ${productId}`);
      return priced(p, faceValue);
    },
    validate_account: ({ accountId, productId, accountNumber }) => {
      const a = account(accountId);
      const p = productsOf(a).find((x) => x.id === productId);
      if (!p) throw invalid('product', `${a.provider} has no product ${productId}`);
      const number = String(accountNumber).replace(/\s/g, '');
      const rule = p.category_code === 'cable-tv' ? { len: 10, kind: 'smartcard' } : p.category_code === 'electricity' ? { len: 11, kind: 'meter' } : null;
      if (!rule) throw { code: 'unsupported', message: `${a.provider_name} does not support account validation for this product.`, field: null };
      /** @type {ValidationView} */
      const answer =
        number.length !== rule.len || !/^\d+$/.test(number) || /^0+$/.test(number)
          ? { valid: false, account_name: null, options: [], message: `No ${rule.kind} with number ${number} was found. Check the ${rule.len}-digit number.` }
          : { valid: true, account_name: number === '4222863979' || number === '25112401374' ? 'Test User' : 'Adaeze Okafor', options: p.category_code === 'cable-tv' ? DSTV_OPTIONS : [], message: 'successful' };
      return answer;
    },
    preview_order: ({ input }) => previewOrder(input),
    buy: ({ input }) => buy(input),
    list_orders: ({ filter, page }) => listOrders(filter, page),
    get_order: ({ id }) => getOrder(id),
    resolve_order: ({ id, resolution }) => resolveOrder(id, resolution),
    reconcile: () => reconcile(),
  };

  /** @template T @param {T} v @returns {T} */
  const clone = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
  /** @param {number} ms */
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** @param {string} cmd @param {Record<string, unknown>} [args] */
  async function invoke(cmd, args = {}) {
    // What crosses IPC is JSON; recording a copy keeps later UI changes out of the record.
    calls.push({ cmd, args: clone(args) });
    await sleep(((options.delays || {})[cmd]) ?? 5);
    const failure = (options.fail || {})[cmd];
    if (Array.isArray(failure) && failure.length) throw failure.shift();
    if (failure && !Array.isArray(failure)) throw failure;
    const handler = HANDLERS[cmd];
    if (!handler) throw { code: 'internal', message: `Internal error while running unknown command ${cmd}. Please send the log file to support.`, field: null };
    return clone(handler(clone(args)));
  }

  /** @type {Map<number, (data: unknown) => unknown>} */
  const callbacks = new Map();

  win.__mock = { calls, options, accounts, orders, ids: { demo: 'demo', vendify: VENDIFY_ID } };

  win.__TAURI_INTERNALS__ = {
    invoke,
    /** @param {((data: unknown) => unknown) | undefined} callback */
    transformCallback(callback, once = false) {
      const id = crypto.getRandomValues(new Uint32Array(1))[0];
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        return callback && callback(data);
      });
      return id;
    },
    /** @param {number} id */
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    /** @param {number} id @param {unknown} data */
    runCallback(id, data) {
      const cb = callbacks.get(id);
      if (cb) cb(data);
    },
    callbacks,
    convertFileSrc: (/** @type {string} */ path) => path,
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
  };
})();
