//! The Markdown writer: a cleaned DOM subtree to LLM-ready Markdown and its sections (stub, being written).
