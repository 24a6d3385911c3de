//! The HTTP side: the builder, the accept loop, one request from bytes to bytes, and
//! shutdown.

use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{
    Request, Response, StatusCode,
    body::{Body, Incoming},
    header::{CONTENT_TYPE, HeaderValue},
    server::conn::http1,
    service::service_fn,
};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use serde_json::Value;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::faults::{Faults, Injector};
use crate::api::{
    ops::{self, Ctx},
    protocol::{self, ApiError},
};
use crate::local::{LocalEngine, MockConfig};

/// The local Step Functions endpoint. Start one with [`Server::builder`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Server;

impl Server {
    /// A builder: the engine, the address, the options.
    pub fn builder() -> ServerBuilder {
        ServerBuilder::default()
    }
}

/// How to start a [`Server`].
#[derive(Debug, Default)]
#[must_use]
pub struct ServerBuilder {
    engine: Option<LocalEngine>,
    bind: Option<SocketAddr>,
    poll_timeout: Option<Duration>,
    mock_config: Option<Arc<MockConfig>>,
    faults: Faults,
    faults_seed: Option<u64>,
}

impl ServerBuilder {
    /// The engine to serve (a new one on the system clock by default).
    pub fn engine(mut self, engine: LocalEngine) -> Self {
        self.engine = Some(engine);
        self
    }

    /// The address to listen on (`127.0.0.1:8083` by default; port 0 picks a free one,
    /// see [`ServerHandle::local_addr`]).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = Some(addr);
        self
    }

    /// How long `GetActivityTask` is held when no task comes (60 seconds by default, as
    /// on AWS). Sets the engine's
    /// [`activity_poll_timeout`](LocalEngine::set_activity_poll_timeout).
    pub fn activity_poll_timeout(mut self, timeout: Duration) -> Self {
        self.poll_timeout = Some(timeout);
        self
    }

    /// Mocked responses: `StartExecution` on `<stateMachineArn>#<TestCase>` runs with the
    /// test case `TestCase` of the machine's entry in this configuration, as AWS Step
    /// Functions Local does.
    pub fn mock_config(mut self, config: MockConfig) -> Self {
        self.mock_config = Some(Arc::new(config));
        self
    }

    /// Faults to inject: a share of requests answered with an error or a throttle, or
    /// delayed (none by default). They are decided before the operation runs, so a
    /// request answered with a fault has no effect on the engine. See [`Faults`].
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The seed of the random numbers that pick which requests get a fault, so that a
    /// run can be repeated (a random seed by default).
    pub fn faults_seed(mut self, seed: u64) -> Self {
        self.faults_seed = Some(seed);
        self
    }

    /// Binds the address and starts serving in the background.
    ///
    /// # Errors
    ///
    /// [`ServerError::Bind`] when the address cannot be bound.
    pub async fn build(self) -> Result<ServerHandle, ServerError> {
        let engine = self.engine.unwrap_or_default();
        if let Some(t) = self.poll_timeout {
            engine.set_activity_poll_timeout(t);
        }
        let addr = self
            .bind
            .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8083)));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| ServerError::Bind { addr, source })?;
        let shutdown = CancellationToken::new();
        let ctx = Arc::new(Served {
            api: Ctx {
                engine: engine.clone(),
                mock_config: self.mock_config,
                shutdown: shutdown.clone(),
            },
            faults: (!self.faults.is_empty()).then(|| Injector::new(self.faults, self.faults_seed)),
        });
        let task = tokio::spawn(accept_loop(listener, ctx, shutdown.clone()));
        Ok(ServerHandle {
            local_addr,
            engine,
            shutdown,
            task: Some(task),
        })
    }
}

/// What the connections share: the API over the engine, and the faults to inject.
struct Served {
    api: Ctx,
    faults: Option<Injector>,
}

/// Why a server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A running server. Dropping it stops the server without waiting; [`shutdown`](Self::shutdown)
/// waits for the requests in flight.
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    engine: LocalEngine,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl ServerHandle {
    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The engine behind the server.
    pub fn engine(&self) -> &LocalEngine {
        &self.engine
    }

    /// The endpoint URL to give clients: `http://ADDR`.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Stops the server: no new connections; held `GetActivityTask` calls answer with no
    /// task; the requests in flight finish; idle connections close.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn accept_loop(listener: TcpListener, ctx: Arc<Served>, shutdown: CancellationToken) {
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            r = listener.accept() => r,
        };
        let (stream, _) = match accepted {
            Ok(s) => s,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment rather than spin.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let ctx = ctx.clone();
        let service = service_fn(move |req| {
            let ctx = ctx.clone();
            async move { Ok::<_, Infallible>(handle(req, &ctx).await) }
        });
        // A client that never finishes its headers is dropped after 30 seconds.
        let conn = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(Duration::from_secs(30))
            .serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    // In-flight requests finish; a connection that still holds on after the grace (a
    // client trickling a body, say) is left behind rather than holding the stop.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// How long a stop waits for the connections still open.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How long a request's body may take to arrive once its headers have.
const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// One request, from its bytes to the response; never fails.
async fn handle(req: Request<Incoming>, ctx: &Served) -> Response<Full<Bytes>> {
    let started = std::time::Instant::now();
    let target = match req.headers().get(protocol::TARGET_HEADER) {
        None => Target::Missing,
        Some(v) => match v
            .to_str()
            .ok()
            .and_then(|t| t.strip_prefix(protocol::TARGET_PREFIX))
        {
            Some(op) => {
                ops::known(op).map_or_else(|| Target::Unknown(op.to_owned()), Target::Operation)
            }
            None => Target::Unknown(String::from_utf8_lossy(v.as_bytes()).into_owned()),
        },
    };
    let result = respond(req, &target, ctx).await;
    let (status, body) = match result {
        Ok(v) => (200, v),
        Err(e) => (e.status, e.body()),
    };
    let operation = match &target {
        Target::Operation(op) => op,
        Target::Missing | Target::Unknown(_) => "-",
    };
    tracing::info!(
        operation,
        status,
        duration_ms = %format_args!("{:.3}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = Response::new(Full::new(Bytes::from(bytes)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(protocol::CONTENT_TYPE),
    );
    let mut id = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let id = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut id);
    response.headers_mut().insert(
        "x-amzn-requestid",
        HeaderValue::from_str(id).unwrap_or(HeaderValue::from_static("0")),
    );
    response
}

/// What the `X-Amz-Target` header names.
enum Target {
    /// An operation of the API.
    Operation(&'static str),
    /// No header.
    Missing,
    /// Anything else: the header's value, or the operation after the prefix.
    Unknown(String),
}

async fn respond(req: Request<Incoming>, target: &Target, ctx: &Served) -> Result<Value, ApiError> {
    if req.method() != hyper::Method::POST {
        return Err(ApiError::new(
            "UnknownOperationException",
            format!("{} is not supported: send POST /", req.method()),
        ));
    }
    let body = tokio::time::timeout(BODY_READ_TIMEOUT, read_body(req.into_body()))
        .await
        .map_err(|_| {
            ApiError::with_status(
                "RequestTimeoutException",
                format!(
                    "the request body did not arrive within {} seconds",
                    BODY_READ_TIMEOUT.as_secs()
                ),
                408,
            )
        })??;
    let operation = match target {
        Target::Operation(op) => *op,
        Target::Missing => {
            return Err(ApiError::new(
                "UnknownOperationException",
                "Missing X-Amz-Target header",
            ));
        }
        Target::Unknown(t) => {
            return Err(ApiError::new(
                "UnknownOperationException",
                format!("Unknown operation: '{t}'"),
            ));
        }
    };
    if let Some(faults) = &ctx.faults {
        let decision = faults.decide(operation);
        if !decision.delay.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(decision.delay) => {}
                _ = ctx.api.shutdown.cancelled() => {}
            }
        }
        if let Some(answer) = decision.answer {
            return Err(answer);
        }
    }
    let input = protocol::Input::parse(&body)?;
    ops::dispatch(&ctx.api, operation, &input).await
}

/// The body, up to [`protocol::MAX_BODY_BYTES`]. A larger body is read to its end (up to
/// a bound) and refused, so that the client gets the answer rather than a reset.
async fn read_body(mut body: Incoming) -> Result<Bytes, ApiError> {
    const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
    let too_large = || {
        ApiError::with_status(
            "RequestEntityTooLargeException",
            format!(
                "the request body is larger than {} bytes",
                protocol::MAX_BODY_BYTES
            ),
            413,
        )
    };
    let declared = body.size_hint().exact();
    if declared.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return Err(too_large());
    }
    let mut buf: Vec<u8> = Vec::new();
    let mut seen: usize = 0;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| ApiError::validation(format!("cannot read the body: {e}")))?;
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(data.len());
            if seen <= protocol::MAX_BODY_BYTES {
                buf.extend_from_slice(&data);
            } else if seen > DRAIN_LIMIT {
                return Err(too_large());
            }
        }
    }
    if seen > protocol::MAX_BODY_BYTES {
        return Err(too_large());
    }
    Ok(Bytes::from(buf))
}
