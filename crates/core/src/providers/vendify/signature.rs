//! The X-Signature scheme, in one place. Vendify's documents say only "sign your
//! APIKey+Nonce" and name no algorithm, so the algorithm is the account setting
//! `signature_scheme` (hex output in every case). HMAC-SHA256 is the default because it is
//! the most common reading of "sign"; Vendify support can say which one an account uses.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// How `apiKey + nonce` is turned into the X-Signature header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureScheme {
    /// HMAC-SHA256 keyed with the signing secret (or the API key when none is stored).
    #[default]
    HmacSha256,
    /// HMAC-SHA512 keyed like [`SignatureScheme::HmacSha256`].
    HmacSha512,
    /// Plain SHA-256 of `apiKey + nonce`; the key is not used.
    Sha256,
    /// Plain SHA-512 of `apiKey + nonce`; the key is not used.
    Sha512,
}

impl SignatureScheme {
    /// The values the `signature_scheme` setting accepts (kinds.rs offers the same list).
    pub const CHOICES: [&'static str; 4] = ["hmac-sha256", "hmac-sha512", "sha256", "sha512"];

    pub fn as_str(self) -> &'static str {
        match self {
            SignatureScheme::HmacSha256 => "hmac-sha256",
            SignatureScheme::HmacSha512 => "hmac-sha512",
            SignatureScheme::Sha256 => "sha256",
            SignatureScheme::Sha512 => "sha512",
        }
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The setting named a scheme this adapter does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a signature scheme: use hmac-sha256, hmac-sha512, sha256 or sha512")]
pub struct UnknownScheme(pub String);

impl FromStr for SignatureScheme {
    type Err = UnknownScheme;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // People type "HMAC_SHA256" or "HmacSHA256" as often as the documented spelling.
        let t: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        match t.as_str() {
            "hmacsha256" => Ok(SignatureScheme::HmacSha256),
            "hmacsha512" => Ok(SignatureScheme::HmacSha512),
            "sha256" => Ok(SignatureScheme::Sha256),
            "sha512" => Ok(SignatureScheme::Sha512),
            _ => Err(UnknownScheme(s.to_owned())),
        }
    }
}

/// Signs `api_key + nonce` with `scheme`; `key` is the HMAC key (ignored by plain hashes).
/// Lower-case hex, the form the header carries.
pub fn sign(scheme: SignatureScheme, key: &[u8], api_key: &str, nonce: &str) -> String {
    let message = [api_key.as_bytes(), nonce.as_bytes()].concat();
    match scheme {
        SignatureScheme::HmacSha256 => {
            // `new_from_slice` accepts keys of any length for HMAC; the error arm is
            // unreachable but handled without a panic.
            match Hmac::<Sha256>::new_from_slice(key) {
                Ok(mut mac) => {
                    mac.update(&message);
                    hex::encode(mac.finalize().into_bytes())
                }
                Err(_) => String::new(),
            }
        }
        SignatureScheme::HmacSha512 => match Hmac::<Sha512>::new_from_slice(key) {
            Ok(mut mac) => {
                mac.update(&message);
                hex::encode(mac.finalize().into_bytes())
            }
            Err(_) => String::new(),
        },
        SignatureScheme::Sha256 => hex::encode(Sha256::digest(&message)),
        SignatureScheme::Sha512 => hex::encode(Sha512::digest(&message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231-style public vectors: HMAC over "The quick brown fox jumps over the lazy
    // dog" with key "key", split into apiKey + nonce to prove the concatenation order.
    const FOX_KEY: &str = "The quick brown fox ";
    const FOX_NONCE: &str = "jumps over the lazy dog";

    #[test]
    fn hmac_sha256_matches_the_published_vector() {
        assert_eq!(
            sign(SignatureScheme::HmacSha256, b"key", FOX_KEY, FOX_NONCE),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn hmac_sha512_matches_the_published_vector() {
        assert_eq!(
            sign(SignatureScheme::HmacSha512, b"key", FOX_KEY, FOX_NONCE),
            "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb\
             82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a"
        );
    }

    #[test]
    fn plain_hashes_match_the_fips_abc_vectors_and_ignore_the_key() {
        // FIPS 180-2 "abc", as apiKey "ab" + nonce "c".
        let sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sign(SignatureScheme::Sha256, b"ignored", "ab", "c"), sha256);
        assert_eq!(sign(SignatureScheme::Sha256, b"", "ab", "c"), sha256);
        assert_eq!(
            sign(SignatureScheme::Sha512, b"ignored", "ab", "c"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
    }

    #[test]
    fn the_order_is_api_key_then_nonce() {
        let a = sign(SignatureScheme::HmacSha256, b"k", "key-1", "nonce-1");
        let b = sign(SignatureScheme::HmacSha256, b"k", "nonce-1", "key-1");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(sign(SignatureScheme::HmacSha512, b"k", "a", "b").len(), 128);
    }

    #[test]
    fn scheme_setting_spellings() {
        assert_eq!("hmac-sha256".parse(), Ok(SignatureScheme::HmacSha256));
        assert_eq!("HMAC_SHA512".parse(), Ok(SignatureScheme::HmacSha512));
        assert_eq!(" SHA256 ".parse(), Ok(SignatureScheme::Sha256));
        assert_eq!("sha-512".parse(), Ok(SignatureScheme::Sha512));
        assert!("md5".parse::<SignatureScheme>().is_err());
        assert_eq!(SignatureScheme::default(), SignatureScheme::HmacSha256);
        for c in SignatureScheme::CHOICES {
            let s: SignatureScheme = c.parse().expect("documented choice");
            assert_eq!(s.as_str(), c);
        }
    }
}
