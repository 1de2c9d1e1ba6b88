//! Loading content: what a load is ([`request`]), reading and preparing one source within its limits ([`prepare`]), and the threads that run loads behind bounded queues ([`pool`]).

pub mod pool;
pub mod prepare;
pub mod request;
