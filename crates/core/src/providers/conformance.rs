//! One suite run against every provider: the demo one directly, each adapter through its
//! mock server. A provider passes when catalogue, quote, balance and the four purchase
//! scripts behave the same way through the shared types.

use async_trait::async_trait;

use super::{
    CatalogueQuery, OutcomeStatus, Provider, ProviderError, PurchaseOutcome, PurchaseRequest,
    StatusLookup,
};

/// What the provider will do with the next purchase a harness prepares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Succeed,
    PendingThenSucceed,
    PendingThenFail,
    Fail,
}

/// Drives one provider through the suite. For an HTTP adapter, `purchase` mounts the mock
/// server's answers for that request and `settle` flips pending answers to final ones.
#[async_trait]
pub trait Harness: Send + Sync {
    fn provider(&self) -> &dyn Provider;
    /// A catalogue query that returns at least one product.
    fn catalogue_query(&self) -> CatalogueQuery {
        CatalogueQuery::default()
    }
    /// Whether the provider can list products (RukaPay has no catalogue).
    fn has_catalogue(&self) -> bool {
        self.provider().capabilities().catalogue
    }
    /// A purchase request the provider will answer according to `script`.
    async fn purchase(&self, script: Script, n: u32) -> PurchaseRequest;
    /// Makes every pending purchase reach its final state.
    async fn settle(&self);
}

fn lookup(req: &PurchaseRequest, out: Option<&PurchaseOutcome>) -> StatusLookup {
    StatusLookup {
        reference: req.reference.clone(),
        nonce: req.nonce.clone(),
        provider_reference: out.and_then(|o| o.provider_reference.clone()),
    }
}

/// Runs every check; panics with the provider's name and the step on the first failure.
pub async fn run(h: &dyn Harness) {
    let p = h.provider();
    let name = p.kind();

    // Catalogue and quote.
    if h.has_catalogue() {
        let products = p
            .catalogue(&h.catalogue_query())
            .await
            .unwrap_or_else(|e| panic!("{name}: catalogue: {e}"));
        assert!(!products.is_empty(), "{name}: catalogue is empty");
        for prod in &products {
            assert!(!prod.id.is_empty(), "{name}: a product without an id");
            assert!(
                !prod.name.is_empty(),
                "{name}: product {} has no name",
                prod.id
            );
            assert!(
                !prod.denominations.is_empty(),
                "{name}: product {} has no denominations",
                prod.id
            );
            for d in &prod.denominations {
                assert!(d.min <= d.max, "{name}: product {} has min > max", prod.id);
            }
        }
    }

    // Balance.
    if p.capabilities().balance {
        let wallets = p
            .balances()
            .await
            .unwrap_or_else(|e| panic!("{name}: balances: {e}"));
        assert!(!wallets.is_empty(), "{name}: no wallets");
    }

    // Success, then status by our reference agrees.
    let req = h.purchase(Script::Succeed, 1).await;
    let out = p
        .submit(&req)
        .await
        .unwrap_or_else(|e| panic!("{name}: submit success: {e}"));
    assert_eq!(
        out.status,
        OutcomeStatus::Succeeded,
        "{name}: success script"
    );
    if p.capabilities().status_by_reference {
        let st = p
            .status(&lookup(&req, Some(&out)))
            .await
            .unwrap_or_else(|e| panic!("{name}: status after success: {e}"));
        assert_eq!(
            st.status,
            OutcomeStatus::Succeeded,
            "{name}: status after success"
        );
    }

    // Pending, then success.
    let req_ps = h.purchase(Script::PendingThenSucceed, 2).await;
    let out_ps = p
        .submit(&req_ps)
        .await
        .unwrap_or_else(|e| panic!("{name}: submit pending: {e}"));
    assert_eq!(
        out_ps.status,
        OutcomeStatus::Pending,
        "{name}: pending script"
    );

    // Pending, then failed.
    let req_pf = h.purchase(Script::PendingThenFail, 3).await;
    let out_pf = p
        .submit(&req_pf)
        .await
        .unwrap_or_else(|e| panic!("{name}: submit pending(fail): {e}"));
    assert_eq!(
        out_pf.status,
        OutcomeStatus::Pending,
        "{name}: pending-then-fail script"
    );

    h.settle().await;
    let st = p
        .status(&lookup(&req_ps, Some(&out_ps)))
        .await
        .unwrap_or_else(|e| panic!("{name}: status pending->success: {e}"));
    assert_eq!(
        st.status,
        OutcomeStatus::Succeeded,
        "{name}: pending settles as success"
    );
    let st = p
        .status(&lookup(&req_pf, Some(&out_pf)))
        .await
        .unwrap_or_else(|e| panic!("{name}: status pending->failed: {e}"));
    assert_eq!(
        st.status,
        OutcomeStatus::Failed,
        "{name}: pending settles as failed"
    );

    // A definite failure: either a Failed outcome or a refusal that is not "unknown".
    let req_f = h.purchase(Script::Fail, 4).await;
    match p.submit(&req_f).await {
        Ok(out) => assert_eq!(out.status, OutcomeStatus::Failed, "{name}: fail script"),
        Err(e) => assert!(
            !e.outcome_unknown() && !matches!(e, ProviderError::Unsupported { .. }),
            "{name}: a definite failure came back as {e:?}"
        ),
    }
}
