//! Streaming response decoders (placeholder until written).
