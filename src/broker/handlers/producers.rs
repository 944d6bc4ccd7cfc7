//! DescribeProducers (KIP-664, what `kafka-transactions.sh
//! describe-producers` uses): each requested partition's producer state as
//! its log holds it.

use kafka_protocol::messages::describe_producers_response::{
    PartitionResponse, ProducerState, TopicResponse,
};
use kafka_protocol::messages::{DescribeProducersRequest, DescribeProducersResponse, ProducerId};
use kafka_protocol::ResponseError;

use crate::broker::dispatch::Context;
use crate::broker::state::State;

pub async fn describe_producers(
    state: &State,
    _ctx: &Context,
    request: DescribeProducersRequest,
) -> anyhow::Result<DescribeProducersResponse> {
    let mut topics = Vec::with_capacity(request.topics.len());
    for t in request.topics {
        let topic = state.topic(t.name.as_str());
        let mut partitions = Vec::with_capacity(t.partition_indexes.len());
        for index in t.partition_indexes {
            let mut out = PartitionResponse::default().with_partition_index(index);
            match topic.as_ref().and_then(|t| t.partition(index)) {
                None => out.error_code = ResponseError::UnknownTopicOrPartition.code(),
                Some(partition) => {
                    let log = partition.log();
                    if log.is_offline() {
                        out.error_code = ResponseError::KafkaStorageError.code();
                    } else {
                        out.active_producers = log
                            .producers()
                            .into_iter()
                            .map(|p| {
                                ProducerState::default()
                                    .with_producer_id(ProducerId(p.producer_id))
                                    .with_producer_epoch(i32::from(p.epoch))
                                    .with_last_sequence(p.last_sequence)
                                    .with_last_timestamp(p.last_timestamp)
                                    .with_coordinator_epoch(p.coordinator_epoch)
                                    .with_current_txn_start_offset(p.txn_start_offset)
                            })
                            .collect();
                    }
                }
            }
            partitions.push(out);
        }
        topics.push(
            TopicResponse::default()
                .with_name(t.name)
                .with_partitions(partitions),
        );
    }
    Ok(DescribeProducersResponse::default().with_topics(topics))
}
