//! The README's links: every relative link names a file or folder of the checkout, so a
//! newcomer following it never lands on nothing.

use std::path::Path;

/// The targets of the README's Markdown links and images that are paths in the checkout
/// (not URLs, not anchors), without any `#fragment`.
fn relative_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].trim();
        let path = target.split('#').next().unwrap_or_default();
        if !path.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            out.push(path.to_owned());
        }
        rest = &rest[end..];
    }
    out
}

#[test]
fn every_relative_link_of_the_readme_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = root.join("README.md");
    let text =
        std::fs::read_to_string(&readme).unwrap_or_else(|e| panic!("{}: {e}", readme.display()));
    let links = relative_links(&text);
    assert!(links.len() >= 10, "too few links found: {links:?}");
    let missing: Vec<&String> = links.iter().filter(|l| !root.join(l).exists()).collect();
    assert!(
        missing.is_empty(),
        "the README links to missing paths: {missing:?}"
    );
}

#[test]
fn links_are_found_and_urls_and_anchors_skipped() {
    let text =
        "[a](docs/x.md) ![p](docs/p.svg) [u](https://example.com/a) [h](#top) [f](g.md#part)";
    assert_eq!(relative_links(text), ["docs/x.md", "docs/p.svg", "g.md"]);
}
