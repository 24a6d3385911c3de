//! [`Sfn`]: the client, over either back end.

use std::sync::Arc;

use futures_util::{Stream, stream};

use super::{
    ActivityInfo, Backend, BackendKind, Error, Page, PageRequest, StateMachineInfo,
    StateMachineSummary,
};

/// A client of AWS Step Functions, or of the embedded engine, with the same API on both.
///
/// Cheap to clone: clones share the back end.
///
/// ```
/// # #[cfg(feature = "local")]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
/// use futures_util::TryStreamExt;
/// use sfn_runtime::client::Sfn;
///
/// let sfn = Sfn::local();
/// let machines: Vec<_> = sfn.list_state_machines().try_collect().await?;
/// assert!(machines.is_empty());
/// # Ok::<(), sfn_runtime::client::Error>(())
/// # })?;
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "local"))]
/// # fn main() {}
/// ```
#[derive(Clone)]
pub struct Sfn {
    pub(super) backend: Arc<dyn Backend>,
    #[cfg(feature = "local")]
    pub(super) engine: Option<crate::local::LocalEngine>,
    /// The role registrations use when they name none.
    pub(super) role_arn: Option<Arc<str>>,
}

impl std::fmt::Debug for Sfn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sfn")
            .field("backend", &self.backend.kind())
            .finish_non_exhaustive()
    }
}

impl Sfn {
    /// A client over the back end `backend`: a wrapped one in a test, say.
    pub fn with_backend(backend: Arc<dyn Backend>) -> Self {
        Sfn {
            backend,
            #[cfg(feature = "local")]
            engine: None,
            role_arn: None,
        }
    }

    /// The same client, with the IAM role its registrations use when they name none
    /// (on AWS a registration needs one; the embedded engine has its own).
    pub fn with_role_arn(mut self, role_arn: impl Into<String>) -> Self {
        self.role_arn = Some(Arc::from(role_arn.into()));
        self
    }

    /// The role registrations use when they name none, if one was given.
    pub fn role_arn(&self) -> Option<&str> {
        self.role_arn.as_deref()
    }

    /// A client of a new embedded engine (default region and account, the system clock).
    #[cfg(feature = "local")]
    #[cfg_attr(docsrs, doc(cfg(feature = "local")))]
    pub fn local() -> Self {
        Sfn::with_engine(crate::local::LocalEngine::new())
    }

    /// A client of the embedded engine `engine`.
    #[cfg(feature = "local")]
    #[cfg_attr(docsrs, doc(cfg(feature = "local")))]
    pub fn with_engine(engine: crate::local::LocalEngine) -> Self {
        Sfn {
            backend: Arc::new(super::LocalBackend::new(engine.clone())),
            engine: Some(engine),
            role_arn: None,
        }
    }

    /// The back end.
    pub fn backend(&self) -> &dyn Backend {
        &*self.backend
    }

    /// Which back end the client talks to.
    pub fn kind(&self) -> BackendKind {
        self.backend.kind()
    }

    /// The embedded engine, for a client of one.
    #[cfg(feature = "local")]
    #[cfg_attr(docsrs, doc(cfg(feature = "local")))]
    pub fn engine(&self) -> Option<&crate::local::LocalEngine> {
        self.engine.as_ref()
    }

    /// Every activity, page after page.
    pub fn list_activities(&self) -> impl Stream<Item = Result<ActivityInfo, Error>> + '_ {
        pages(move |page| self.backend.list_activities(page))
    }

    /// Every state machine, page after page.
    pub fn list_state_machines(
        &self,
    ) -> impl Stream<Item = Result<StateMachineSummary, Error>> + '_ {
        pages(move |page| self.backend.list_state_machines(page))
    }

    /// The activity named by `name_or_arn`: an ARN, or a name looked up in the list.
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`] when there is none.
    pub async fn describe_activity(&self, name_or_arn: &str) -> Result<ActivityInfo, Error> {
        let arn = self.activity_arn(name_or_arn).await?;
        self.backend.describe_activity(&arn).await
    }

    /// The ARN of the activity named by `name_or_arn` (an ARN is returned as it is).
    ///
    /// # Errors
    ///
    /// [`Error::ActivityDoesNotExist`] when no activity has that name.
    pub async fn activity_arn(&self, name_or_arn: &str) -> Result<String, Error> {
        if is_arn(name_or_arn) {
            return Ok(name_or_arn.to_owned());
        }
        find(self.list_activities(), |a: &ActivityInfo| {
            (a.name == name_or_arn).then(|| a.activity_arn.clone())
        })
        .await?
        .ok_or_else(|| Error::ActivityDoesNotExist {
            message: format!("Activity Does Not Exist: '{name_or_arn}'"),
        })
    }

    /// The state machine named by `name_or_arn`: an ARN, or a name looked up in the list.
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] when there is none.
    pub async fn describe_state_machine(
        &self,
        name_or_arn: &str,
    ) -> Result<StateMachineInfo, Error> {
        let arn = self.state_machine_arn(name_or_arn).await?;
        self.backend.describe_state_machine(&arn).await
    }

    /// The ARN of the state machine named by `name_or_arn` (an ARN is returned as it is).
    ///
    /// # Errors
    ///
    /// [`Error::StateMachineDoesNotExist`] when no machine has that name.
    pub async fn state_machine_arn(&self, name_or_arn: &str) -> Result<String, Error> {
        match self.find_state_machine(name_or_arn).await? {
            Some(arn) => Ok(arn),
            None => Err(Error::StateMachineDoesNotExist {
                message: format!("State Machine Does Not Exist: '{name_or_arn}'"),
            }),
        }
    }

    /// The ARN of the state machine named by `name_or_arn`, if there is one (an ARN is
    /// returned as it is).
    pub(super) async fn find_state_machine(
        &self,
        name_or_arn: &str,
    ) -> Result<Option<String>, Error> {
        if is_arn(name_or_arn) {
            return Ok(Some(name_or_arn.to_owned()));
        }
        find(self.list_state_machines(), |m: &StateMachineSummary| {
            (m.name == name_or_arn).then(|| m.state_machine_arn.clone())
        })
        .await
    }
}

/// Whether `s` is an ARN rather than a name (names cannot hold `:`).
pub(super) fn is_arn(s: &str) -> bool {
    s.starts_with("arn:")
}

/// The first `Some` that `pick` makes of an item of `items`.
async fn find<T, R>(
    items: impl Stream<Item = Result<T, Error>>,
    mut pick: impl FnMut(&T) -> Option<R>,
) -> Result<Option<R>, Error> {
    use futures_util::StreamExt;
    let mut items = std::pin::pin!(items);
    while let Some(item) = items.next().await {
        if let Some(found) = pick(&item?) {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The items of every page `read` reads, from the first to the last.
pub(super) fn pages<'a, T, F>(read: F) -> impl Stream<Item = Result<T, Error>> + 'a
where
    T: 'a,
    F: Fn(PageRequest) -> super::Response<'a, Page<T>> + 'a,
{
    enum State {
        Next(Option<String>),
        Done,
    }
    let pages = stream::try_unfold(State::Next(None), move |state| {
        let request = match state {
            State::Next(token) => Some(read(PageRequest::after(token))),
            State::Done => None,
        };
        async move {
            let Some(request) = request else {
                return Ok(None);
            };
            let page = request.await?;
            let next = match page.next_token {
                Some(t) => State::Next(Some(t)),
                None => State::Done,
            };
            Ok(Some((stream::iter(page.items.into_iter().map(Ok)), next)))
        }
    });
    futures_util::TryStreamExt::try_flatten(pages)
}
