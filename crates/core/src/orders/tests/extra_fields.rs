//! Issue #9: the fields a provider requires besides the recipient and the amount (the
//! customer's phone for electricity, the account name for a bank transfer) are asked for
//! where the product says so, refused by name before anything is written or sent when
//! missing, and carried to the provider when given.

use super::examples::fixture;
use super::*;
use crate::providers::ExtraField;
use crate::Error;

fn electricity(customer_phone: Option<&str>) -> PlaceRequest {
    PlaceRequest {
        product_id: "9423".to_owned(),
        recipient: "25112401374".to_owned(),
        customer_phone: customer_phone.map(str::to_owned),
        ..request("25112401374", "5000")
    }
}

#[tokio::test]
async fn the_product_says_which_extra_fields_it_needs() {
    let f = fixture().await;
    let power = f.demo.quote("9423", None).await.expect("quote");
    assert_eq!(power.needs, vec![ExtraField::CustomerPhone]);
    let airtime = f.demo.quote("9418", None).await.expect("quote");
    assert!(airtime.needs.is_empty());
    let view = crate::views::ProductView::from(&power);
    assert_eq!(view.needs, vec![ExtraField::CustomerPhone]);
}

#[tokio::test]
async fn a_missing_customer_phone_is_refused_by_name_before_anything_is_written_or_sent() {
    let f = fixture().await;
    let before = counts(&f.console).await;
    for blank in [None, Some(""), Some("   ")] {
        let err = place_via(&f.console, f.demo.as_ref(), electricity(blank))
            .await
            .expect_err("refused");
        match &err {
            Error::InvalidInput { field, reason } => {
                assert_eq!(field, "customer_phone");
                assert!(
                    reason.contains("customer's phone number")
                        && reason.contains("PHED Prepaid Electricity"),
                    "{reason}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(counts(&f.console).await, before, "nothing written");
    assert!(f.demo.sent().is_empty(), "nothing sent");
    // The preview refuses it the same way, so the Buy form says so before confirming.
    let err = preview_via(&f.console, f.demo.as_ref(), &electricity(None))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "customer_phone"));
}

#[tokio::test]
async fn a_customer_phone_that_is_not_a_number_is_refused() {
    let f = fixture().await;
    let err = place_via(&f.console, f.demo.as_ref(), electricity(Some("call me")))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "customer_phone"));
    let mut req = electricity(Some("08031234567"));
    req.service_type = Some("monthly".to_owned());
    let err = place_via(&f.console, f.demo.as_ref(), req)
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidInput { ref field, .. } if field == "service_type"));
    assert!(f.demo.sent().is_empty());
}

#[tokio::test]
async fn the_extra_fields_reach_the_provider_with_the_order() {
    let f = fixture().await;
    let mut req = electricity(Some("  +234 803 123 4567 "));
    req.service_type = Some("prepaid".to_owned());
    req.account_name = Some(" Ada Obi ".to_owned());
    let order = place_via(&f.console, f.demo.as_ref(), req)
        .await
        .expect("placed");
    assert_ne!(order.status, OrderStatus::Failed);
    let sent = f.demo.requests.lock().expect("lock").clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].phone.as_deref(), Some("+234 803 123 4567"));
    assert_eq!(sent[0].service_type.as_deref(), Some("PREPAID"));
    assert_eq!(sent[0].account_name.as_deref(), Some("Ada Obi"));
    assert_eq!(sent[0].recipient, "25112401374");
}

#[tokio::test]
async fn a_validation_first_product_without_a_plan_names_resellerctl_validate() {
    let f = fixture().await;
    let req = PlaceRequest {
        product_id: "9422".to_owned(),
        ..request("4222863979", "5100")
    };
    let err = place_via(&f.console, f.demo.as_ref(), req)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("resellerctl validate"), "{err}");
    assert!(f.demo.sent().is_empty());
}
