"""Enrichment: customer value and order facts from the store (one lookup per batch), then
per-customer repeat contacts and conversation threading (state keyed by customer)."""
