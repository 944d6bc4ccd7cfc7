//! DescribeCluster (KIP-700): the cluster id, the controller and the one
//! broker; and the authorized-operations sets (KIP-430) that Metadata,
//! DescribeCluster and DescribeGroups report when asked. With no authorizer
//! configured Kafka grants every operation a resource type supports, so that
//! is what is reported; the security issue narrows it here, in one place.

use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::{BrokerId, DescribeClusterRequest, DescribeClusterResponse};
use kafka_protocol::protocol::StrBytes;
use kafka_protocol::ResponseError;

use crate::broker::dispatch::Context;
use crate::broker::state::{State, NODE_ID};

/// Authorized-operations value meaning "not asked for".
pub const OPERATIONS_NOT_REQUESTED: i32 = i32::MIN;

/// Kafka's AclOperation codes.
const READ: u8 = 3;
const WRITE: u8 = 4;
const CREATE: u8 = 5;
const DELETE: u8 = 6;
const ALTER: u8 = 7;
const DESCRIBE: u8 = 8;
const CLUSTER_ACTION: u8 = 9;
const DESCRIBE_CONFIGS: u8 = 10;
const ALTER_CONFIGS: u8 = 11;
const IDEMPOTENT_WRITE: u8 = 12;

/// The operations Kafka supports on each resource type (its AclEntry
/// supportedOperations), all granted while no authorizer is configured.
const TOPIC_OPERATIONS: &[u8] = &[
    READ,
    WRITE,
    CREATE,
    DESCRIBE,
    DELETE,
    ALTER,
    DESCRIBE_CONFIGS,
    ALTER_CONFIGS,
];
const GROUP_OPERATIONS: &[u8] = &[READ, DESCRIBE, DELETE];
const CLUSTER_OPERATIONS: &[u8] = &[
    CREATE,
    CLUSTER_ACTION,
    DESCRIBE_CONFIGS,
    ALTER_CONFIGS,
    IDEMPOTENT_WRITE,
    ALTER,
    DESCRIBE,
];

/// A set of operations as the wire carries it: bit n set for operation code n.
fn bit_field(operations: &[u8]) -> i32 {
    operations.iter().fold(0, |bits, op| bits | (1 << op))
}

fn if_asked(asked: bool, operations: &[u8]) -> i32 {
    if asked {
        bit_field(operations)
    } else {
        OPERATIONS_NOT_REQUESTED
    }
}

/// What the client may do with a topic, when `asked`.
pub fn topic_operations(asked: bool) -> i32 {
    if_asked(asked, TOPIC_OPERATIONS)
}

/// What the client may do with a group, when `asked`.
pub fn group_operations(asked: bool) -> i32 {
    if_asked(asked, GROUP_OPERATIONS)
}

/// What the client may do with the cluster, when `asked`.
pub fn cluster_operations(asked: bool) -> i32 {
    if_asked(asked, CLUSTER_OPERATIONS)
}

/// DescribeCluster `endpoint_type`: brokers (1) or controllers (2).
const ENDPOINT_BROKERS: i8 = 1;

pub async fn describe_cluster(
    state: &State,
    ctx: &Context,
    request: DescribeClusterRequest,
) -> anyhow::Result<DescribeClusterResponse> {
    let version = ctx.version();
    let mut response = DescribeClusterResponse::default();
    if version >= 1 {
        response.endpoint_type = request.endpoint_type;
        // Kafka's brokers refuse a request for controller endpoints; this
        // node's controller has no endpoint of its own to give.
        if request.endpoint_type != ENDPOINT_BROKERS {
            response.error_code = ResponseError::MismatchedEndpointType.code();
            response.error_message = Some(StrBytes::from_string(format!(
                "endpoint type {} is not served: this is a broker endpoint (type {ENDPOINT_BROKERS}); dq has no separate controller",
                request.endpoint_type
            )));
            response.cluster_authorized_operations = OPERATIONS_NOT_REQUESTED;
            return Ok(response);
        }
    }
    let (host, port) = &state.advertised;
    response.cluster_id = StrBytes::from_string(state.cluster_id.clone());
    response.controller_id = BrokerId(NODE_ID);
    response.brokers = vec![DescribeClusterBroker::default()
        .with_broker_id(BrokerId(NODE_ID))
        .with_host(StrBytes::from_string(host.clone()))
        .with_port(i32::from(*port))];
    response.cluster_authorized_operations =
        cluster_operations(request.include_cluster_authorized_operations);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_sets_are_kafkas_bit_fields() {
        // Bits 3 to 8, 10 and 11: READ..DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.
        assert_eq!(topic_operations(true), 0b1101_1111_1000);
        assert_eq!(group_operations(true), (1 << 3) | (1 << 6) | (1 << 8));
        assert_eq!(cluster_operations(true).count_ones(), 7);
        assert_eq!(cluster_operations(false), OPERATIONS_NOT_REQUESTED);
    }
}
