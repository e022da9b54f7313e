//! The HTTP API: households, invites, pairing and devices, plus /healthz,
//! /readyz and /metrics. Every error is JSON `{code, message}`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, MatchedPath, Path, Query, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use hearth_doc::DocId;
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::storage::{DeviceRow, NewDevice, NewInvite};
use crate::{Server, now_ms};

/// An error as the API reports it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            code: self.code,
            message: &self.message,
        });
        (self.status, body).into_response()
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the server cannot reach its database; try again shortly",
        )
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Parses a JSON body, with a JSON error when it is not what was expected.
fn json_body<T: DeserializeOwned>(
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<T> {
    let body = body.map_err(|e| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("request body rejected: {e}"),
        )
    })?;
    serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("invalid JSON body: {e}"),
        )
    })
}

pub fn router(server: Arc<Server>) -> Router {
    let limit = server.config.max_frame_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/v1/households", post(create_household))
        .route("/v1/households/{id}/invites", post(create_invite))
        .route("/v1/households/{id}/devices", get(list_devices))
        .route(
            "/v1/households/{id}/devices/{device}",
            delete(revoke_device),
        )
        .route("/v1/pair", post(pair))
        .route("/v1/sync", get(sync))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take that method",
            )
        })
        .layer(middleware::from_fn_with_state(server.clone(), track))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .with_state(server)
}

/// Counts requests by route and status, and times them.
async fn track(State(server): State<Arc<Server>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let m = &server.metrics;
    m.http_requests
        .get_or_create(&crate::metrics::HttpLabels {
            route: route.clone(),
            method,
            status: response.status().as_u16(),
        })
        .inc();
    if route != "/v1/sync" {
        m.http_latency
            .get_or_create(&crate::metrics::RouteLabels { route })
            .observe(start.elapsed().as_secs_f64());
    }
    response
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

async fn readyz(State(server): State<Arc<Server>>) -> Response {
    if *server.shutdown.borrow() {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is shutting down",
        )
        .into_response();
    }
    match tokio::time::timeout(Duration::from_secs(2), server.storage.ping()).await {
        Ok(Ok(())) => Json(serde_json::json!({"status": "ready"})).into_response(),
        _ => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the database is not reachable",
        )
        .into_response(),
    }
}

async fn metrics(State(server): State<Arc<Server>>) -> impl IntoResponse {
    let m = &server.metrics;
    let pool = server.storage.pool_stats();
    m.db_pool_size.set(i64::from(pool.size));
    m.db_pool_idle.set(i64::from(pool.idle));
    m.db_pool_max.set(i64::from(pool.max));
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        m.render(),
    )
}

// ----- tokens and codes ---------------------------------------------------

/// A new device token: 256 random bits, hex.
fn new_token() -> String {
    hex::encode(rand::rng().random::<[u8; 32]>())
}

pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

fn new_device_id() -> String {
    format!("dev_{}", hex::encode(rand::rng().random::<[u8; 8]>()))
}

/// Unambiguous letters and digits (no 0/O, 1/I/L, U).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// A short invite code, e.g. `K7QM4-ZP2XA` (about 49 bits).
fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..10)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// The form a code is hashed in: upper case, no separators.
fn normalize_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The bearer token of a request: the Authorization header, or `?token=`
/// for clients that cannot set headers (browsers' WebSocket).
fn bearer(headers: &HeaderMap, query: &HashMap<String, String>) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .or_else(|| query.get("token").cloned())
}

/// The device a request authenticates as.
pub async fn authenticate(
    server: &Server,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> ApiResult<DeviceRow> {
    let token = bearer(headers, query).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "a device token is needed (Authorization: Bearer TOKEN)",
        )
    })?;
    let device = server
        .storage
        .device_by_token(&hash_secret(&token))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "this device token is not known",
            )
        })?;
    if device.revoked_at.is_some() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "revoked",
            "this device was removed from its household",
        ));
    }
    Ok(device)
}

async fn device_of(server: &Server, headers: &HeaderMap, household: &str) -> ApiResult<DeviceRow> {
    let device = authenticate(server, headers, &HashMap::new()).await?;
    if device.household_id != household {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this device belongs to another household",
        ));
    }
    Ok(device)
}

fn require_parent(device: &DeviceRow) -> ApiResult<()> {
    if device.role == "parent" {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "parent_only",
            "only a parent's device can do this",
        ))
    }
}

fn check_device_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_name",
            "a device name has 1 to 60 characters",
        ));
    }
    Ok(name.to_owned())
}

// ----- households, invites, pairing, devices --------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateHousehold {
    household_id: String,
    name: String,
    device_name: String,
    #[serde(default)]
    registration_secret: Option<String>,
}

/// A device's credentials, returned once.
#[derive(Serialize)]
struct Credentials {
    household_id: String,
    device_id: String,
    token: String,
    role: String,
}

async fn create_household(
    State(server): State<Arc<Server>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<Credentials>)> {
    let req: CreateHousehold = json_body(body)?;
    if let Some(secret) = &server.config.registration_secret {
        let given = req.registration_secret.as_deref().unwrap_or_default();
        // Compare hashes: equal-length inputs, no early exit on a prefix.
        if hash_secret(given) != hash_secret(&secret.0) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "registration_closed",
                "this server needs a registration secret to create households",
            ));
        }
    }
    if DocId::parse(&req.household_id).is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_household_id",
            "household_id must be the household document's id",
        ));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_name",
            "a household name has 1 to 80 characters",
        ));
    }
    let token = new_token();
    let device = NewDevice {
        id: new_device_id(),
        household_id: req.household_id.clone(),
        name: check_device_name(&req.device_name)?,
        role: "parent".into(),
        token_hash: hash_secret(&token),
        created_at: now_ms(),
    };
    if !server
        .storage
        .create_household(&req.household_id, name, &device)
        .await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "household_exists",
            "this household is registered on the server already; join it with an invite code",
        ));
    }
    tracing::info!(household = %req.household_id, device = %device.id, "household created");
    Ok((
        StatusCode::CREATED,
        Json(Credentials {
            household_id: req.household_id,
            device_id: device.id,
            token,
            role: device.role,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateInvite {
    role: String,
}

#[derive(Serialize)]
struct Invite {
    code: String,
    role: String,
    expires_at: i64,
}

async fn create_invite(
    State(server): State<Arc<Server>>,
    Path(household): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<Invite>)> {
    let device = device_of(&server, &headers, &household).await?;
    require_parent(&device)?;
    let req: CreateInvite = json_body(body)?;
    if req.role != "parent" && req.role != "child" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_role",
            "role must be 'parent' or 'child'",
        ));
    }
    let code = new_code();
    let expires_at = now_ms() + server.config.invite_ttl_secs * 1000;
    server
        .storage
        .create_invite(&NewInvite {
            code_hash: hash_secret(&normalize_code(&code)),
            household_id: household.clone(),
            role: req.role.clone(),
            created_by: device.id.clone(),
            expires_at,
        })
        .await?;
    tracing::info!(household = %household, by = %device.id, role = %req.role, "invite created");
    Ok((
        StatusCode::CREATED,
        Json(Invite {
            code,
            role: req.role,
            expires_at,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    code: String,
    device_name: String,
}

/// Fixed one-minute windows per client address.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Whether one more attempt from `ip` is allowed now.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let (start, count) = windows.entry(ip).or_insert((now, 0));
        if now.duration_since(*start) >= Duration::from_secs(60) {
            *start = now;
            *count = 0;
        }
        *count += 1;
        *count <= self.per_minute
    }
}

/// The client's address: the TCP peer, or with `hops` trusted proxies in
/// front, the address the outermost of them saw (counted from the right of
/// `X-Forwarded-For`, where each proxy appends; what a client wrote further
/// left is not trusted).
fn client_ip(peer: SocketAddr, headers: &HeaderMap, hops: u32) -> IpAddr {
    if hops == 0 {
        return peer.ip();
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    forwarded
        .len()
        .checked_sub(hops as usize)
        .and_then(|i| forwarded.get(i))
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| peer.ip())
}

async fn pair(
    State(server): State<Arc<Server>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<Credentials>> {
    let client = client_ip(addr, &headers, server.config.forwarded_hops);
    if !server.pair_limiter.allow(client) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many pairing attempts; wait a minute",
        ));
    }
    let req: Pair = json_body(body)?;
    let token = new_token();
    let mut device = NewDevice {
        id: new_device_id(),
        household_id: String::new(),
        name: check_device_name(&req.device_name)?,
        role: String::new(),
        token_hash: hash_secret(&token),
        created_at: now_ms(),
    };
    let code_hash = hash_secret(&normalize_code(&req.code));
    if server
        .storage
        .redeem_invite(&code_hash, now_ms(), &mut device)
        .await?
        .is_none()
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_code",
            "this invite code is unknown, used or expired; ask for a new one",
        ));
    }
    tracing::info!(household = %device.household_id, device = %device.id, role = %device.role, "device paired");
    Ok(Json(Credentials {
        household_id: device.household_id,
        device_id: device.id,
        token,
        role: device.role,
    }))
}

#[derive(Serialize)]
struct DeviceView {
    id: String,
    name: String,
    role: String,
    created_at: i64,
    last_seen_at: Option<i64>,
    revoked: bool,
    connected: bool,
}

async fn list_devices(
    State(server): State<Arc<Server>>,
    Path(household): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<DeviceView>>> {
    device_of(&server, &headers, &household).await?;
    let devices = server.storage.devices(&household).await?;
    Ok(Json(
        devices
            .into_iter()
            .map(|d| DeviceView {
                connected: server.hub.is_connected(&d.id),
                id: d.id,
                name: d.name,
                role: d.role,
                created_at: d.created_at,
                last_seen_at: d.last_seen_at,
                revoked: d.revoked_at.is_some(),
            })
            .collect(),
    ))
}

async fn revoke_device(
    State(server): State<Arc<Server>>,
    Path((household, target)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let device = device_of(&server, &headers, &household).await?;
    require_parent(&device)?;
    if !server
        .storage
        .revoke_device(&household, &target, now_ms())
        .await?
    {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_such_device",
            format!("no device '{target}' in this household"),
        ));
    }
    server.hub.close_device(&target);
    // Other instances close theirs; the token is refused everywhere already.
    if let Err(e) = server.storage.announce_revoked(&target).await {
        tracing::warn!(error = %e, "could not tell other instances about a revoked device");
    }
    tracing::info!(household = %household, device = %target, by = %device.id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

// ----- sync -----------------------------------------------------------------

async fn sync(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let ws = ws.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "websocket_expected",
            format!("/v1/sync is a WebSocket endpoint: {e}"),
        )
    })?;
    let device = match authenticate(&server, &headers, &query).await {
        Ok(device) => device,
        // Browsers' and stock automerge-repo clients' WebSockets cannot read
        // an HTTP error (Node's even crashes on one): they pass the token in
        // the URL, and hear why they are refused as a protocol `error`.
        Err(e)
            if e.status == StatusCode::UNAUTHORIZED
                && headers.get(header::AUTHORIZATION).is_none()
                && query.contains_key("token") =>
        {
            return Ok(ws.on_upgrade(move |socket| crate::conn::refuse(socket, e.message)));
        }
        Err(e) => return Err(e),
    };
    if *server.shutdown.borrow() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is shutting down",
        ));
    }
    // Frames up to twice the limit are read so that the limit can be
    // reported in words; larger ones are cut off by the socket itself.
    let limit = server.config.max_frame_bytes;
    // Small buffers: most devices sit idle, and a buffer grows when a
    // large message needs it.
    Ok(ws
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(limit.saturating_mul(2))
        .max_frame_size(limit.saturating_mul(2))
        .on_upgrade(move |socket| crate::conn::run(server, socket, device)))
}
