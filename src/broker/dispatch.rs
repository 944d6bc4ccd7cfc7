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
use super::storage::{batch, validate};

/// THE declaration of every served API: its key, the versions served, its
/// request type and its handler (and, for Produce, whether it is answered at
/// all). The version table that ApiVersions reports, the routing in
/// [`dispatch`] and the decoder in [`decode_request`] are all generated from
/// it, so they cannot disagree.
macro_rules! served_apis {
    ($( $key:ident $lo:literal ..= $hi:literal => $request:ty, $handler:path $(, responds $responds:expr)? $(, check $check:path)?; )*) => {
        /// API key, lowest and highest version served.
        pub const APIS: &[(ApiKey, i16, i16)] = &[ $( (ApiKey::$key, $lo, $hi), )* ];

        async fn route(
            state: &State,
            ctx: &Context,
            key: ApiKey,
            code: i16,
            mut body: Bytes,
        ) -> Result<Option<Bytes>, DispatchError> {
            let version = ctx.version();
            match key {
                $( ApiKey::$key => {
                    let request = <$request>::decode(&mut body, version)
                        .map_err(|e| malformed(key, version, e))?;
                    let responds = true $( && ($responds)(&request) )?;
                    let response = $handler(state, ctx, request)
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
                } )*
                _ => Err(DispatchError::UnsupportedApi { key, code }),
            }
        }

        /// Decodes a request body of a served API, and checks the record
        /// batches of a Produce as the log would before storing them.
        fn decode_body(key: ApiKey, code: i16, version: i16, mut body: Bytes) -> Result<(), DispatchError> {
            match key {
                $( ApiKey::$key => {
                    let request = <$request>::decode(&mut body, version)
                        .map_err(|e| malformed(key, version, e))?;
                    $( $check(&request); )?
                    let _ = request;
                    Ok(())
                } )*
                _ => Err(DispatchError::UnsupportedApi { key, code }),
            }
        }
    };
}

served_apis! {
    // acks=0 produce requests get no response at all.
    Produce 3..=10 => ProduceRequest, handlers::produce::produce, responds |r: &ProduceRequest| r.acks != 0, check check_produce;
    Fetch 4..=12 => FetchRequest, handlers::fetch::fetch;
    ListOffsets 1..=7 => ListOffsetsRequest, handlers::offsets::list_offsets;
    Metadata 0..=12 => MetadataRequest, handlers::metadata::metadata;
    ApiVersions 0..=4 => ApiVersionsRequest, api_versions;
    CreateTopics 2..=7 => CreateTopicsRequest, handlers::admin::create_topics;
    DeleteTopics 1..=6 => DeleteTopicsRequest, handlers::admin::delete_topics;
    InitProducerId 0..=4 => InitProducerIdRequest, handlers::txn::init_producer_id;
    // Transactions (issue 13). v4+ of AddPartitionsToTxn and v5 of EndTxn are
    // KIP-890's broker-side verification and per-transaction epoch bumps.
    AddPartitionsToTxn 0..=3 => AddPartitionsToTxnRequest, handlers::txn::add_partitions_to_txn;
    AddOffsetsToTxn 0..=3 => AddOffsetsToTxnRequest, handlers::txn::add_offsets_to_txn;
    EndTxn 0..=3 => EndTxnRequest, handlers::txn::end_txn;
    TxnOffsetCommit 0..=3 => TxnOffsetCommitRequest, handlers::txn::txn_offset_commit;
    WriteTxnMarkers 1..=1 => WriteTxnMarkersRequest, handlers::txn::write_txn_markers;
    DescribeTransactions 0..=0 => DescribeTransactionsRequest, handlers::txn::describe_transactions;
    ListTransactions 0..=1 => ListTransactionsRequest, handlers::txn::list_transactions;
    FindCoordinator 0..=4 => FindCoordinatorRequest, handlers::groups::find_coordinator;
    JoinGroup 0..=7 => JoinGroupRequest, handlers::groups::join_group;
    SyncGroup 0..=5 => SyncGroupRequest, handlers::groups::sync_group;
    Heartbeat 0..=4 => HeartbeatRequest, handlers::groups::heartbeat;
    LeaveGroup 0..=4 => LeaveGroupRequest, handlers::groups::leave_group;
    OffsetCommit 2..=9 => OffsetCommitRequest, handlers::offsets::offset_commit;
    OffsetFetch 1..=9 => OffsetFetchRequest, handlers::offsets::offset_fetch;
    ListGroups 0..=5 => ListGroupsRequest, handlers::groups::list_groups;
    DescribeGroups 0..=5 => DescribeGroupsRequest, handlers::groups::describe_groups;
    DeleteGroups 0..=2 => DeleteGroupsRequest, handlers::groups::delete_groups;
    OffsetDelete 0..=0 => OffsetDeleteRequest, handlers::offsets::offset_delete;
    DeleteRecords 0..=2 => DeleteRecordsRequest, handlers::admin::delete_records;
    DescribeConfigs 1..=4 => DescribeConfigsRequest, handlers::configs::describe_configs;
    AlterConfigs 0..=2 => AlterConfigsRequest, handlers::configs::alter_configs;
    IncrementalAlterConfigs 0..=1 => IncrementalAlterConfigsRequest, handlers::configs::incremental_alter_configs;
    CreatePartitions 0..=3 => CreatePartitionsRequest, handlers::admin::create_partitions;
    DescribeLogDirs 1..=4 => DescribeLogDirsRequest, handlers::logdirs::describe_log_dirs;
    // configs: cluster description and authorized operations (issue 12).
    DescribeCluster 0..=2 => DescribeClusterRequest, handlers::cluster::describe_cluster;
    // KIP-848 consumer groups (helper kip848). librdkafka 2.12 asks for
    // ConsumerGroupHeartbeat v1 only.
    ConsumerGroupHeartbeat 0..=1 => ConsumerGroupHeartbeatRequest, handlers::consumer_groups::consumer_group_heartbeat;
    ConsumerGroupDescribe 0..=1 => ConsumerGroupDescribeRequest, handlers::consumer_groups::consumer_group_describe;
    // Exactly-once (issue 13): per-partition producer state, as
    // `kafka-transactions.sh describe-producers` asks for it.
    DescribeProducers 0..=0 => DescribeProducersRequest, handlers::producers::describe_producers;
    // Share groups (issue 14, KIP-932): membership. librdkafka 2.16's
    // ShareConsumer speaks v1, the only version the crate carries.
    ShareGroupHeartbeat 1..=1 => ShareGroupHeartbeatRequest, handlers::share_groups::share_group_heartbeat;
    ShareGroupDescribe 1..=1 => ShareGroupDescribeRequest, handlers::share_groups::share_group_describe;
    // Share groups (issue 14): KIP-932's fetch, acknowledge and offsets, in
    // the versions the crate carries (librdkafka 2.16 asks for v1).
    ShareFetch 1..=1 => ShareFetchRequest, handlers::share_fetch::share_fetch;
    ShareAcknowledge 1..=1 => ShareAcknowledgeRequest, handlers::share_fetch::share_acknowledge;
    DescribeShareGroupOffsets 0..=0 => DescribeShareGroupOffsetsRequest, handlers::share_fetch::describe_share_group_offsets;
    AlterShareGroupOffsets 0..=0 => AlterShareGroupOffsetsRequest, handlers::share_fetch::alter_share_group_offsets;
    DeleteShareGroupOffsets 0..=0 => DeleteShareGroupOffsetsRequest, handlers::share_fetch::delete_share_group_offsets;
}

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
    let (key, code, version) = match check_version(&frame)? {
        Version::Served(key, code, version) => (key, code, version),
        Version::UnsupportedApiVersions(reply) => return Ok(Some(reply)),
    };
    let mut body = frame;
    let header = RequestHeader::decode(&mut body, key.request_header_version(version))
        .map_err(|e| malformed(key, version, e))?;
    let ctx = Context { header, peer };
    tracing::trace!(api = ?key, version, client = %ctx.client_id(), %peer, "request");
    route(state, &ctx, key, code, body).await
}

/// Decodes one request frame (without its length prefix) as [`dispatch`]
/// would, runs Produce's record batches through the log validator, and
/// stops there: nothing is handled. For the fuzz test, which must show that
/// no input panics or allocates more than a small multiple of its size.
pub fn decode_request(frame: Bytes) -> Result<(), DispatchError> {
    let (key, code, version) = match check_version(&frame)? {
        Version::Served(key, code, version) => (key, code, version),
        Version::UnsupportedApiVersions(_) => return Ok(()),
    };
    let mut body = frame;
    RequestHeader::decode(&mut body, key.request_header_version(version))
        .map_err(|e| malformed(key, version, e))?;
    decode_body(key, code, version, body)
}

enum Version {
    Served(ApiKey, i16, i16),
    /// The reply to an ApiVersions request in a version not served.
    UnsupportedApiVersions(Bytes),
}

/// Reads the API key and version in front of the request header and checks
/// that they are served.
fn check_version(frame: &[u8]) -> Result<Version, DispatchError> {
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
            return Ok(Version::UnsupportedApiVersions(unsupported_api_versions(
                correlation_id,
            )));
        }
        return Err(DispatchError::UnsupportedVersion {
            key,
            version,
            min,
            max,
        });
    }
    Ok(Version::Served(key, code, version))
}

fn malformed(key: ApiKey, version: i16, e: anyhow::Error) -> DispatchError {
    DispatchError::Malformed {
        key,
        version,
        reason: format!("{e:#}"),
    }
}

/// What [`decode_request`] does with a Produce besides decoding it: its
/// batches go through the same checks as a client's append (header and CRC,
/// then every record, as for a compacted topic so that the key check runs).
fn check_produce(produce: &ProduceRequest) {
    let rules = validate::Rules {
        compacted: true,
        log_append_time: false,
        timestamp_before_max_ms: i64::MAX,
        timestamp_after_max_ms: 3_600_000,
        now_ms: 0,
    };
    for topic in &produce.topic_data {
        for partition in &topic.partition_data {
            let Some(records) = &partition.records else {
                continue;
            };
            if let Ok(batches) = batch::validate_all(records) {
                for (h, range) in batches {
                    let _ = validate::check_batch(&h, &records[range], &rules);
                }
            }
        }
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
