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
//
// Its data is typed with the generated bindings (JSDoc), so `npm run check` fails when the
// Rust types change and the mock no longer matches them.

/** @typedef {import('../src/lib/bindings').AccountView} AccountView */
/** @typedef {import('../src/lib/bindings').Capabilities} Capabilities */
/** @typedef {import('../src/lib/bindings').CatalogueQuery} CatalogueQuery */
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
/**
 * @typedef {{
 *   fail?: Record<string, ErrorView | ErrorView[]>,
 *   delays?: Record<string, number>,
 *   staleFor?: Record<string, number>,
 *   accounts?: 'demo-only' | 'none',
 *   testResults?: Record<string, ConnectionTest>,
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
  const LAST_KNOWN_VENDIFY = [{ ...wallet('NGN-143', '48730.25', 'NGN'), observed_at: '2025-03-03T16:20:11.000000Z' }];
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
      .filter((p) => !needle || [p.name, p.operator, p.brand_family].some((s) => (s || '').toLowerCase().includes(needle)));
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

  let dashboardCalls = 0;

  /** @returns {Dashboard} */
  function dashboard() {
    dashboardCalls += 1;
    return {
      accounts: accounts.map((a) => {
        const staleFor = (options.staleFor || {})[a.id] || 0;
        if (dashboardCalls <= staleFor) {
          return { account: a, wallets: a.id === VENDIFY_ID ? LAST_KNOWN_VENDIFY : walletsOf(a), error: unreachable(a.provider), stale: true };
        }
        return { account: a, wallets: walletsOf(a), error: null, stale: false };
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
      const message = 'Vendify rejected the credentials: Invalid API key. Open Providers and re-enter the API key.';
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
      return filterProducts(a.id === VENDIFY_ID ? VENDIFY_PRODUCTS : DEMO_PRODUCTS, query);
    },
    ui_ready: () => null,
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

  win.__mock = { calls, options, accounts, ids: { demo: 'demo', vendify: VENDIFY_ID } };

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
