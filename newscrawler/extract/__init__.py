"""Extraction: from a fetched page to the fields of an article item."""
