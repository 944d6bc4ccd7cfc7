//! Producer ids for idempotent producers (InitProducerId). Transactions will
//! join this file with their coordinator.

use kafka_protocol::messages::{InitProducerIdRequest, InitProducerIdResponse, ProducerId};
use kafka_protocol::ResponseError;

use crate::broker::dispatch::Context;
use crate::broker::state::State;

pub async fn init_producer_id(
    state: &State,
    _ctx: &Context,
    request: InitProducerIdRequest,
) -> anyhow::Result<InitProducerIdResponse> {
    let mut response = InitProducerIdResponse::default()
        .with_producer_id(ProducerId(-1))
        .with_producer_epoch(-1);
    if request.transactional_id.is_some() {
        // Clients reach this only through a transaction coordinator, which
        // this broker does not have yet.
        response.error_code = ResponseError::UnsupportedVersion.code();
        return Ok(response);
    }
    if request.producer_id.0 >= 0 && request.producer_epoch >= 0 {
        // KIP-360: an idempotent producer bumping its own epoch after an error.
        if request.producer_epoch < i16::MAX - 1 {
            response.producer_id = request.producer_id;
            response.producer_epoch = request.producer_epoch + 1;
            return Ok(response);
        }
    }
    match state.new_producer_id() {
        Ok(id) => {
            response.producer_id = ProducerId(id);
            response.producer_epoch = 0;
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot reserve producer ids");
            response.error_code = ResponseError::KafkaStorageError.code();
        }
    }
    Ok(response)
}
