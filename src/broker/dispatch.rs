//! THE table: which APIs this broker serves, in which versions, and which
//! handler answers each. ApiVersions is answered from this table, so the
//! broker never advertises a version it does not implement.

use std::net::SocketAddr;

use bytes::{BufMut, Bytes, BytesMut};
use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::*;
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion};
use kafka_protocol::ResponseError;

use super::handlers;
use super::state::State;

/// API key, lowest and highest version served.
pub const APIS: &[(ApiKey, i16, i16)] = &[
    (ApiKey::Produce, 3, 10),
    (ApiKey::Fetch, 4, 12),
    (ApiKey::ListOffsets, 1, 7),
    (ApiKey::Metadata, 0, 12),
    (ApiKey::ApiVersions, 0, 4),
    (ApiKey::CreateTopics, 2, 7),
    (ApiKey::DeleteTopics, 1, 6),
    (ApiKey::InitProducerId, 0, 4),
    (ApiKey::FindCoordinator, 0, 4),
    (ApiKey::JoinGroup, 0, 7),
    (ApiKey::SyncGroup, 0, 5),
    (ApiKey::Heartbeat, 0, 4),
    (ApiKey::LeaveGroup, 0, 4),
    (ApiKey::OffsetCommit, 2, 9),
    (ApiKey::OffsetFetch, 1, 9),
    (ApiKey::ListGroups, 0, 4),
    (ApiKey::DescribeGroups, 0, 5),
    (ApiKey::DeleteGroups, 0, 2),
    (ApiKey::OffsetDelete, 0, 0),
    (ApiKey::DeleteRecords, 0, 2),
    (ApiKey::DescribeConfigs, 1, 4),
    (ApiKey::AlterConfigs, 0, 2),
    (ApiKey::IncrementalAlterConfigs, 0, 1),
    (ApiKey::CreatePartitions, 0, 3),
    (ApiKey::DescribeLogDirs, 1, 4),
];

pub fn supported(key: ApiKey) -> Option<(i16, i16)> {
    APIS.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, lo, hi)| (*lo, *hi))
}

/// What a handler knows of the request besides its body.
pub struct Context {
    pub header: RequestHeader,
    /// The client's address, reported as a group member's host.
    pub peer: SocketAddr,
}

impl Context {
    pub fn version(&self) -> i16 {
        self.header.request_api_version
    }

    pub fn client_id(&self) -> String {
        self.header
            .client_id
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default()
    }
}

/// Why a connection has to be closed rather than answered.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("request of {0} bytes is too short for a request header")]
    TooShort(usize),
    #[error("unknown API key {0}")]
    UnknownApiKey(i16),
    #[error("{key:?} (API key {code}) is not served by this broker")]
    UnsupportedApi { key: ApiKey, code: i16 },
    #[error("{key:?} version {version} is not served (versions {min} to {max} are)")]
    UnsupportedVersion {
        key: ApiKey,
        version: i16,
        min: i16,
        max: i16,
    },
    #[error("malformed {key:?} v{version} request: {reason}")]
    Malformed {
        key: ApiKey,
        version: i16,
        reason: String,
    },
    #[error("cannot encode the {key:?} v{version} response: {reason}")]
    Encode {
        key: ApiKey,
        version: i16,
        reason: String,
    },
    #[error("handling {key:?}: {source:#}")]
    Handler { key: ApiKey, source: anyhow::Error },
}

/// Decodes one request frame, runs its handler and returns the encoded
/// response frame (length prefix included), or `None` when the request gets no
/// response (Produce with acks=0).
pub async fn dispatch(
    state: &State,
    frame: Bytes,
    peer: SocketAddr,
) -> Result<Option<Bytes>, DispatchError> {
    if frame.len() < 8 {
        return Err(DispatchError::TooShort(frame.len()));
    }
    let code = i16::from_be_bytes([frame[0], frame[1]]);
    let version = i16::from_be_bytes([frame[2], frame[3]]);
    let key = ApiKey::try_from(code).map_err(|_| DispatchError::UnknownApiKey(code))?;
    let (min, max) = supported(key).ok_or(DispatchError::UnsupportedApi { key, code })?;
    if version < min || version > max {
        if key == ApiKey::ApiVersions {
            let correlation_id = i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
            return Ok(Some(unsupported_api_versions(correlation_id)));
        }
        return Err(DispatchError::UnsupportedVersion {
            key,
            version,
            min,
            max,
        });
    }
    let mut body = frame;
    let malformed = |e: anyhow::Error| DispatchError::Malformed {
        key,
        version,
        reason: format!("{e:#}"),
    };
    let header =
        RequestHeader::decode(&mut body, key.request_header_version(version)).map_err(malformed)?;
    let ctx = Context { header, peer };
    tracing::trace!(api = ?key, version, client = %ctx.client_id(), %peer, "request");

    macro_rules! route {
        ($request:ty, $handler:path) => {
            route!($request, $handler, |_: &$request| true)
        };
        ($request:ty, $handler:path, $responds:expr) => {{
            let request = <$request>::decode(&mut body, version).map_err(malformed)?;
            let responds = ($responds)(&request);
            let response = $handler(state, &ctx, request)
                .await
                .map_err(|source| DispatchError::Handler { key, source })?;
            if !responds {
                return Ok(None);
            }
            encode(&ctx.header, &response)
                .map(Some)
                .map_err(|e| DispatchError::Encode {
                    key,
                    version,
                    reason: format!("{e:#}"),
                })
        }};
    }
    match key {
        // acks=0 produce requests get no response at all.
        ApiKey::Produce => route!(
            ProduceRequest,
            handlers::produce::produce,
            |r: &ProduceRequest| r.acks != 0
        ),
        ApiKey::Fetch => route!(FetchRequest, handlers::fetch::fetch),
        ApiKey::ListOffsets => route!(ListOffsetsRequest, handlers::offsets::list_offsets),
        ApiKey::Metadata => route!(MetadataRequest, handlers::metadata::metadata),
        ApiKey::ApiVersions => route!(ApiVersionsRequest, api_versions),
        ApiKey::CreateTopics => route!(CreateTopicsRequest, handlers::admin::create_topics),
        ApiKey::DeleteTopics => route!(DeleteTopicsRequest, handlers::admin::delete_topics),
        ApiKey::InitProducerId => route!(InitProducerIdRequest, handlers::txn::init_producer_id),
        ApiKey::FindCoordinator => {
            route!(FindCoordinatorRequest, handlers::groups::find_coordinator)
        }
        ApiKey::JoinGroup => route!(JoinGroupRequest, handlers::groups::join_group),
        ApiKey::SyncGroup => route!(SyncGroupRequest, handlers::groups::sync_group),
        ApiKey::Heartbeat => route!(HeartbeatRequest, handlers::groups::heartbeat),
        ApiKey::LeaveGroup => route!(LeaveGroupRequest, handlers::groups::leave_group),
        ApiKey::OffsetCommit => route!(OffsetCommitRequest, handlers::offsets::offset_commit),
        ApiKey::OffsetFetch => route!(OffsetFetchRequest, handlers::offsets::offset_fetch),
        ApiKey::ListGroups => route!(ListGroupsRequest, handlers::groups::list_groups),
        ApiKey::DescribeGroups => route!(DescribeGroupsRequest, handlers::groups::describe_groups),
        ApiKey::DeleteGroups => route!(DeleteGroupsRequest, handlers::groups::delete_groups),
        ApiKey::OffsetDelete => route!(OffsetDeleteRequest, handlers::offsets::offset_delete),
        ApiKey::DeleteRecords => route!(DeleteRecordsRequest, handlers::admin::delete_records),
        ApiKey::DescribeConfigs => {
            route!(DescribeConfigsRequest, handlers::configs::describe_configs)
        }
        ApiKey::AlterConfigs => route!(AlterConfigsRequest, handlers::configs::alter_configs),
        ApiKey::IncrementalAlterConfigs => route!(
            IncrementalAlterConfigsRequest,
            handlers::configs::incremental_alter_configs
        ),
        ApiKey::CreatePartitions => {
            route!(CreatePartitionsRequest, handlers::admin::create_partitions)
        }
        ApiKey::DescribeLogDirs => {
            route!(DescribeLogDirsRequest, handlers::logdirs::describe_log_dirs)
        }
        _ => Err(DispatchError::UnsupportedApi { key, code }),
    }
}

/// Encodes `size | response header | body` for the version of `header`.
/// Fails when a handler set a field the version does not have: a bug, which
/// closes the connection (and is logged) rather than sending a wrong answer.
fn encode<R: Encodable + HeaderVersion>(
    header: &RequestHeader,
    response: &R,
) -> anyhow::Result<Bytes> {
    let version = header.request_api_version;
    let response_header = ResponseHeader::default().with_correlation_id(header.correlation_id);
    let header_version = R::header_version(version);
    // Sized up front: a fetch response carries megabytes of records, and
    // growing the buffer by doubling would copy them several times.
    let size =
        4 + response_header.compute_size(header_version)? + response.compute_size(version)?;
    let mut buf = BytesMut::with_capacity(size);
    buf.put_i32(0);
    response_header.encode(&mut buf, header_version)?;
    response.encode(&mut buf, version)?;
    let size = (buf.len() - 4) as i32;
    buf[0..4].copy_from_slice(&size.to_be_bytes());
    Ok(buf.freeze())
}

fn api_versions_table() -> Vec<ApiVersion> {
    APIS.iter()
        .map(|(key, min, max)| {
            ApiVersion::default()
                .with_api_key(*key as i16)
                .with_min_version(*min)
                .with_max_version(*max)
        })
        .collect()
}

async fn api_versions(
    _state: &State,
    _ctx: &Context,
    _request: ApiVersionsRequest,
) -> anyhow::Result<ApiVersionsResponse> {
    Ok(ApiVersionsResponse::default().with_api_keys(api_versions_table()))
}

/// The reply to an ApiVersions request in a version this broker does not know:
/// v0 layout, UNSUPPORTED_VERSION, and the ApiVersions range so the client can
/// retry with one it shares.
fn unsupported_api_versions(correlation_id: i32) -> Bytes {
    let response = ApiVersionsResponse::default()
        .with_error_code(ResponseError::UnsupportedVersion.code())
        .with_api_keys(
            api_versions_table()
                .into_iter()
                .filter(|v| v.api_key == ApiKey::ApiVersions as i16)
                .collect(),
        );
    let header = RequestHeader::default()
        .with_request_api_key(ApiKey::ApiVersions as i16)
        .with_request_api_version(0)
        .with_correlation_id(correlation_id);
    encode(&header, &response).expect("an ApiVersions v0 response has only v0 fields")
}
