"""Tests of the Urdu/English text layer: cleaning rules, dates, language, pipelines."""
