//! What the environment says: which back end [`Sfn::from_env`] picks, where the endpoint
//! is, and whether credentials are configured. Pure functions of the variables, so that
//! they are tested without touching the process environment.
// The endpoint and credential rules serve the AWS back end alone.
#![cfg_attr(not(feature = "aws"), allow(dead_code))]

use crate::client::{BackendKind, Error, Sfn};

impl Sfn {
    /// A client of the back end the environment asks for:
    ///
    /// | `SFN_BACKEND` | other variables | back end |
    /// |---|---|---|
    /// | `aws` | | AWS (`Sfn::aws`, feature `aws`) |
    /// | `local` | | the embedded engine (`Sfn::local`) |
    /// | unset or empty | any of `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL`, `AWS_PROFILE`, `AWS_REGION`, `AWS_DEFAULT_REGION` set | AWS (without the feature `aws`: only for the endpoint URLs) |
    /// | unset or empty | none of them | the embedded engine |
    ///
    /// Without the feature `local`, the embedded engine is never chosen: AWS is. Without
    /// the feature `aws`, a region or a profile alone (set on most CI runners and
    /// shells) leaves the choice to the embedded engine; `SFN_BACKEND=aws` or an endpoint
    /// URL is an error that says which variable asked for AWS, so that a program built
    /// for the embedded engine alone never talks to the wrong place by surprise. The choice and its reason are logged at `info` level (`tracing`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] when `SFN_BACKEND` has another value, or when AWS is
    /// chosen and the feature `aws` is off; and the errors of `Sfn::aws`.
    pub async fn from_env() -> Result<Sfn, Error> {
        let choice = choose(&process_var, cfg!(feature = "local"), cfg!(feature = "aws"))?;
        tracing::info!(
            backend = ?choice.backend,
            reason = %choice.reason,
            "Step Functions client: {}",
            match choice.backend {
                BackendKind::Local => "the embedded engine",
                _ => "AWS",
            }
        );
        #[cfg(feature = "local")]
        if choice.backend == BackendKind::Local {
            return Ok(Sfn::local());
        }
        #[cfg(feature = "aws")]
        return Sfn::aws().await;
        #[cfg(not(feature = "aws"))]
        Err(aws_not_built_in(&choice.reason))
    }
}

/// The error of [`Sfn::from_env`] when the environment asks for AWS (`reason`) and the
/// feature `aws` is off.
#[cfg_attr(feature = "aws", allow(dead_code))]
fn aws_not_built_in(reason: &str) -> Error {
    Error::InvalidArgument(format!(
        "the environment asks for AWS ({reason}), but sfn-runtime is built without its `aws` \
         feature: add `features = [\"aws\"]` to its dependency line, or set {SFN_BACKEND}=local"
    ))
}

/// The variable that names the back end: `aws` or `local`.
pub(crate) const SFN_BACKEND: &str = "SFN_BACKEND";

/// The variables that, set, say AWS is configured.
const AWS_SETTINGS: &[&str] = &[
    "AWS_ENDPOINT_URL_SFN",
    "AWS_ENDPOINT_URL",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

/// The variables that, set, say credentials are configured.
const CREDENTIAL_SETTINGS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
];

/// A process environment variable, none when unset, empty or not Unicode.
pub(crate) fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The back end chosen, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Choice {
    /// The back end.
    pub(crate) backend: BackendKind,
    /// Why, for the log.
    pub(crate) reason: String,
}

/// The back end the variables `var` ask for (see [`Sfn::from_env`] for the rule);
/// `local_available`, `aws_available`: whether the embedded engine and the AWS back end
/// are built in.
///
/// [`Sfn::from_env`]: crate::client::Sfn::from_env
pub(crate) fn choose(
    var: &dyn Fn(&str) -> Option<String>,
    local_available: bool,
    aws_available: bool,
) -> Result<Choice, Error> {
    let local = |reason: String| {
        if local_available {
            Choice {
                backend: BackendKind::Local,
                reason,
            }
        } else {
            Choice {
                backend: BackendKind::Aws,
                reason: format!("{reason}, but the embedded engine is not built in"),
            }
        }
    };
    let aws = |reason: String| Choice {
        backend: BackendKind::Aws,
        reason,
    };
    match var(SFN_BACKEND)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("aws") => return Ok(aws(format!("{SFN_BACKEND}=aws"))),
        Some("local") => return Ok(local(format!("{SFN_BACKEND}=local"))),
        Some(other) if !other.is_empty() => {
            return Err(Error::InvalidArgument(format!(
                "{SFN_BACKEND} is `{other}`: expected `aws` or `local`"
            )));
        }
        _ => {}
    }
    Ok(match AWS_SETTINGS.iter().find(|name| var(name).is_some()) {
        // A region or profile alone is everywhere (CI runners, shells, CloudShell): a
        // program built without the AWS back end keeps to the engine. An endpoint URL
        // names where to go, and stays a choice of AWS.
        Some(name)
            if !aws_available && local_available && !name.starts_with("AWS_ENDPOINT_URL") =>
        {
            local(format!(
                "{name} is set, but the feature `aws` is off: the embedded engine"
            ))
        }
        Some(name) => aws(format!("{name} is set")),
        None => local("no AWS endpoint, profile or region is configured".to_owned()),
    })
}

/// The endpoint URL the variables configure for Step Functions, if any.
pub(crate) fn endpoint_url(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    var("AWS_ENDPOINT_URL_SFN").or_else(|| var("AWS_ENDPOINT_URL"))
}

/// Whether a region is configured by the variables.
pub(crate) fn region_configured(var: &dyn Fn(&str) -> Option<String>) -> bool {
    var("AWS_REGION").is_some() || var("AWS_DEFAULT_REGION").is_some()
}

/// Whether credentials are configured: by a variable, or by a shared credentials or
/// config file (`files_exist`).
pub(crate) fn credentials_configured(
    var: &dyn Fn(&str) -> Option<String>,
    files_exist: bool,
) -> bool {
    files_exist || CREDENTIAL_SETTINGS.iter().any(|name| var(name).is_some())
}

/// Whether `~/.aws/credentials` or `~/.aws/config` exists.
pub(crate) fn shared_files_exist() -> bool {
    let home = process_var("HOME").or_else(|| process_var("USERPROFILE"));
    home.is_some_and(|home| {
        let dir = std::path::Path::new(&home).join(".aws");
        dir.join("credentials").exists() || dir.join("config").exists()
    })
}

/// Whether `url` names this machine: `127.0.0.1` (any of `127.0.0.0/8`), `localhost` or
/// `[::1]`.
pub(crate) fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_the_aws_feature_the_error_says_what_asked_for_aws_and_what_to_do() {
        let e = aws_not_built_in("AWS_ENDPOINT_URL is set").to_string();
        assert!(e.contains("(AWS_ENDPOINT_URL is set)"), "{e}");
        assert!(e.contains("features = [\"aws\"]"), "{e}");
        assert!(e.contains("SFN_BACKEND=local"), "{e}");
    }

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn backend(pairs: &'static [(&'static str, &'static str)], local: bool) -> BackendKind {
        match choose(&vars(pairs), local, true) {
            Ok(c) => c.backend,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn without_the_aws_back_end_a_region_or_profile_leaves_the_engine() {
        let pick = |pairs: &'static [(&'static str, &'static str)]| {
            choose(&vars(pairs), true, false).map(|c| c.backend).ok()
        };
        assert_eq!(
            pick(&[("AWS_REGION", "eu-west-1")]),
            Some(BackendKind::Local)
        );
        assert_eq!(pick(&[("AWS_PROFILE", "dev")]), Some(BackendKind::Local));
        assert_eq!(
            pick(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:8083")]),
            Some(BackendKind::Aws)
        );
        assert_eq!(pick(&[("SFN_BACKEND", "aws")]), Some(BackendKind::Aws));
    }

    #[test]
    fn sfn_backend_decides_first() {
        assert_eq!(backend(&[("SFN_BACKEND", "aws")], true), BackendKind::Aws);
        assert_eq!(backend(&[("SFN_BACKEND", "AWS")], true), BackendKind::Aws);
        assert_eq!(
            backend(
                &[("SFN_BACKEND", "local"), ("AWS_REGION", "eu-west-1")],
                true
            ),
            BackendKind::Local
        );
        assert_eq!(
            backend(&[("SFN_BACKEND", "local")], false),
            BackendKind::Aws
        );
        assert!(matches!(
            choose(&vars(&[("SFN_BACKEND", "azure")]), true, true),
            Err(Error::InvalidArgument(_))
        ));
    }

    #[test]
    fn aws_settings_choose_aws_else_the_engine() {
        for name in AWS_SETTINGS {
            let var = |n: &str| (n == *name).then(|| "x".to_owned());
            assert_eq!(
                choose(&var, true, true).map(|c| c.backend).ok(),
                Some(BackendKind::Aws),
                "{name}"
            );
        }
        assert_eq!(backend(&[], true), BackendKind::Local);
        assert_eq!(backend(&[("SFN_BACKEND", "")], true), BackendKind::Local);
        assert_eq!(backend(&[], false), BackendKind::Aws);
        assert_eq!(
            backend(&[("AWS_ACCESS_KEY_ID", "k")], true),
            BackendKind::Local
        );
    }

    #[test]
    fn endpoints_and_credentials() {
        assert_eq!(
            endpoint_url(&vars(&[
                ("AWS_ENDPOINT_URL", "http://a"),
                ("AWS_ENDPOINT_URL_SFN", "http://b")
            ])),
            Some("http://b".to_owned())
        );
        assert!(credentials_configured(
            &vars(&[("AWS_PROFILE", "p")]),
            false
        ));
        assert!(credentials_configured(&vars(&[]), true));
        assert!(!credentials_configured(
            &vars(&[("AWS_REGION", "r")]),
            false
        ));
    }

    #[test]
    fn loopback_urls() {
        for url in [
            "http://127.0.0.1:8083",
            "http://localhost:8083/",
            "http://LOCALHOST",
            "http://[::1]:8083",
            "127.0.0.2:1",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://states.us-east-1.amazonaws.com",
            "http://10.0.0.1:8083",
            "http://localhost.example.com",
            "http://[::2]:80",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
