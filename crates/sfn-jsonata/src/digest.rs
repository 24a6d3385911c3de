//! The digests `States.Hash` and JSONata's `$hash` compute: one implementation for both.

use sha2::Digest;

/// The algorithm names both functions accept, as they are written.
pub const ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// The lowercase hex digest of `data` with `algorithm` (`MD5`, `SHA-1`, `SHA-256`,
/// `SHA-384`, `SHA-512`); `None` for any other name.
pub fn hex_digest(algorithm: &str, data: &[u8]) -> Option<String> {
    Some(match algorithm {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1::Sha1::digest(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        _ => return None,
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::hex_digest;

    #[test]
    fn known_digests() {
        let d = |a| hex_digest(a, b"abc").unwrap_or_default();
        assert_eq!(d("MD5"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(d("SHA-1"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            d("SHA-256"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(d("SHA-384").starts_with("cb00753f45a35e8bb5a03d699ac65007"));
        assert!(d("SHA-512").starts_with("ddaf35a193617abacc417349ae204131"));
        assert_eq!(hex_digest("SHA-3", b"abc"), None);
    }
}
