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

use super::{
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
        let ctx = Arc::new(Ctx {
            engine: engine.clone(),
            mock_config: self.mock_config,
            shutdown: shutdown.clone(),
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

async fn accept_loop(listener: TcpListener, ctx: Arc<Ctx>, shutdown: CancellationToken) {
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
    graceful.shutdown().await;
}

/// One request, from its bytes to the response; never fails.
async fn handle(req: Request<Incoming>, ctx: &Ctx) -> Response<Full<Bytes>> {
    let started = std::time::Instant::now();
    let target = req
        .headers()
        .get(protocol::TARGET_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let operation = target
        .as_deref()
        .and_then(|t| t.strip_prefix(protocol::TARGET_PREFIX))
        .unwrap_or("-")
        .to_owned();
    let result = respond(req, target.as_deref(), ctx).await;
    let (status, body) = match result {
        Ok(v) => (200, v),
        Err(e) => (e.status, e.body()),
    };
    tracing::info!(
        operation = %operation,
        status,
        duration_ms = %format_args!("{:.3}", started.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(protocol::CONTENT_TYPE),
    );
    response.headers_mut().insert(
        "x-amzn-requestid",
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .unwrap_or(HeaderValue::from_static("0")),
    );
    response
}

async fn respond(
    req: Request<Incoming>,
    target: Option<&str>,
    ctx: &Ctx,
) -> Result<Value, ApiError> {
    if req.method() != hyper::Method::POST {
        return Err(ApiError::new(
            "UnknownOperationException",
            format!("{} is not supported: send POST /", req.method()),
        ));
    }
    let body = read_body(req.into_body()).await?;
    let operation = match target.and_then(|t| t.strip_prefix(protocol::TARGET_PREFIX)) {
        Some(op) => op,
        None => {
            return Err(ApiError::new(
                "UnknownOperationException",
                match target {
                    Some(t) => format!("Unknown operation: '{t}'"),
                    None => "Missing X-Amz-Target header".to_owned(),
                },
            ));
        }
    };
    if !ops::is_known(operation) {
        return Err(ApiError::new(
            "UnknownOperationException",
            format!("Unknown operation: '{operation}'"),
        ));
    }
    let input = protocol::Input::parse(&body)?;
    ops::dispatch(ctx, operation, &input).await
}

/// The body, up to [`protocol::MAX_BODY_BYTES`]. A larger body is read to its end (up to
/// a bound) and refused, so that the client gets the answer rather than a reset.
async fn read_body(mut body: Incoming) -> Result<Bytes, ApiError> {
    const DRAIN_LIMIT: usize = 64 * 1024 * 1024;
    let too_large = || ApiError {
        kind: "RequestEntityTooLargeException",
        message: format!(
            "the request body is larger than {} bytes",
            protocol::MAX_BODY_BYTES
        ),
        status: 413,
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
