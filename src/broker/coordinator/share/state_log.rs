//! `__share_group_state`: the share-partitions' durable state, in Kafka's
//! ShareSnapshot and ShareUpdate record layouts.
