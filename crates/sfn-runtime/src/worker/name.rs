//! The worker's name, as `GetActivityTask` reports it (`ActivityStarted`'s `workerName`).

/// The longest worker name AWS takes, in characters.
pub(super) const MAX_NAME_CHARS: usize = 80;

/// `{hostname}-{8 hex digits}`: the host from `HOSTNAME` or `/etc/hostname` (`worker`
/// when neither tells), cut so that the whole is at most 80 characters.
pub(super) fn default_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.trim().is_empty())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_owned());
    with_suffix(&host, fastrand::u32(..))
}

/// `{host}-{suffix as 8 hex digits}`, the host cut so that the whole fits.
fn with_suffix(host: &str, suffix: u32) -> String {
    let host: String = host
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(MAX_NAME_CHARS - 9)
        .collect();
    format!("{host}-{suffix:08x}")
}

/// A name given by the user, cut to 80 characters on a character boundary.
pub(super) fn cut(name: &str) -> String {
    name.chars().take(MAX_NAME_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_host_and_suffix_within_80_characters() {
        assert_eq!(with_suffix("box", 0xab), "box-000000ab");
        let long = with_suffix(&"h".repeat(200), 1);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        assert!(long.ends_with("-00000001"));
        assert_eq!(cut(&"é".repeat(100)).chars().count(), MAX_NAME_CHARS);
        let name = default_name();
        assert!(
            name.chars().count() <= MAX_NAME_CHARS && name.len() > 9,
            "{name}"
        );
    }
}
