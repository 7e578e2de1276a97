//! Webhook signatures: the document's payload with a correct signature verifies; any
//! change to the body, a wrong secret or a malformed header does not.

use hmac::{Hmac, Mac};

use super::*;

const SECRET: &str = "whsec_rukky_test";

fn sign(body: &[u8], secret: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

fn payload() -> &'static [u8] {
    fixture!("webhook_payload.json").as_bytes()
}

#[test]
fn the_sample_payload_with_a_correct_signature_verifies() {
    let ev = verify_webhook(payload(), &sign(payload(), SECRET), &Secret::new(SECRET)).expect("ok");
    assert_eq!(ev.kind, WebhookEventKind::Success);
    assert_eq!(ev.vtu.trx, "TRX_STRING");
}

#[test]
fn any_one_byte_change_fails() {
    let sig = sign(payload(), SECRET);
    for i in 0..payload().len() {
        let mut body = payload().to_vec();
        body[i] ^= 0x01;
        assert_eq!(
            verify_webhook(&body, &sig, &Secret::new(SECRET)),
            Err(WebhookError::SignatureMismatch),
            "byte {i}"
        );
    }
    // Re-serialised JSON (same meaning, other bytes) is not the signed body either.
    let reformatted = payload()
        .iter()
        .copied()
        .filter(|b| *b != b'\n')
        .collect::<Vec<_>>();
    assert_eq!(
        verify_webhook(&reformatted, &sig, &Secret::new(SECRET)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_wrong_secret_fails() {
    let sig = sign(payload(), "another_secret");
    assert_eq!(
        verify_webhook(payload(), &sig, &Secret::new(SECRET)),
        Err(WebhookError::SignatureMismatch)
    );
    assert_eq!(
        verify_webhook(payload(), &sig, &Secret::new("")),
        Err(WebhookError::NoSecret)
    );
}

/// Deliberate: surrounding whitespace is trimmed and hex case is ignored (both leave the
/// signed bytes unchanged); anything else about the header is refused.
#[test]
fn signature_case_and_whitespace_are_handled_deliberately() {
    let sig = sign(payload(), SECRET);
    let secret = Secret::new(SECRET);
    for accepted in [
        sig.to_uppercase(),
        format!("  {sig}\r\n"),
        format!("\t{}", sig.to_uppercase()),
    ] {
        assert!(
            verify_webhook(payload(), &accepted, &secret).is_ok(),
            "{accepted:?}"
        );
    }
    let (head, tail) = sig.split_at(32);
    for refused in [
        format!("sha256={sig}"),
        format!("{head} {tail}"),
        sig[..63].to_owned(),
        format!("{sig}00"),
        String::new(),
        "   ".to_owned(),
        "not hex at all".to_owned(),
    ] {
        let err = verify_webhook(payload(), &refused, &secret).expect_err(&refused);
        assert!(
            matches!(
                err,
                WebhookError::MalformedSignature | WebhookError::SignatureMismatch
            ),
            "{refused:?}: {err:?}"
        );
    }
}

#[test]
fn the_client_verifies_with_the_account_secret() {
    let with = RukkyClient::new(
        config(
            "https://www.rukkystore.com/api/v1",
            &[("api_key", KEY), ("webhook_secret", SECRET)],
        ),
        &ctx(),
    )
    .expect("client");
    assert!(with
        .verify_webhook(payload(), &sign(payload(), SECRET))
        .is_ok());
    let without = RukkyClient::new(
        config("https://www.rukkystore.com/api/v1", &[("api_key", KEY)]),
        &ctx(),
    )
    .expect("client");
    assert_eq!(
        without.verify_webhook(payload(), &sign(payload(), SECRET)),
        Err(WebhookError::NoSecret)
    );
}

#[test]
fn every_documented_event_maps() {
    for (event, status, kind, outcome) in [
        (
            "vtu.status_changed",
            "pending",
            WebhookEventKind::StatusChanged,
            Some(OutcomeStatus::Pending),
        ),
        (
            "vtu.processing",
            "processing",
            WebhookEventKind::Processing,
            Some(OutcomeStatus::Pending),
        ),
        (
            "vtu.success",
            "success",
            WebhookEventKind::Success,
            Some(OutcomeStatus::Succeeded),
        ),
        (
            "vtu.failed",
            "failed",
            WebhookEventKind::Failed,
            Some(OutcomeStatus::Failed),
        ),
        // No status in the body: the event name decides, when it can.
        (
            "vtu.failed",
            "",
            WebhookEventKind::Failed,
            Some(OutcomeStatus::Failed),
        ),
        (
            "vtu.status_changed",
            "",
            WebhookEventKind::StatusChanged,
            None,
        ),
        (
            "vtu.refund",
            "odd",
            WebhookEventKind::Other("vtu.refund".into()),
            None,
        ),
    ] {
        let body = String::from_utf8_lossy(payload())
            .replace(
                "\"event\": \"vtu.success\"",
                &format!("\"event\": \"{event}\""),
            )
            .replace(
                "\"status\": \"success\"",
                &format!("\"status\": \"{status}\""),
            );
        let ev = verify_webhook(
            body.as_bytes(),
            &sign(body.as_bytes(), SECRET),
            &Secret::new(SECRET),
        )
        .expect(event);
        assert_eq!(ev.kind, kind, "{event}");
        assert_eq!(ev.outcome().map(|o| o.status), outcome, "{event}/{status}");
    }
}

#[test]
fn a_signed_but_unreadable_payload_is_a_payload_error() {
    for body in [
        "",
        "[]",
        "{\"event\":\"vtu.success\"}",
        "{\"event\":\"vtu.success\",\"vtu\":{}}",
        "{\"vtu\":{\"trx\":\"T\"}}",
    ] {
        let err = verify_webhook(
            body.as_bytes(),
            &sign(body.as_bytes(), SECRET),
            &Secret::new(SECRET),
        )
        .expect_err(body);
        assert!(
            matches!(err, WebhookError::BadPayload(_)),
            "{body}: {err:?}"
        );
    }
}
