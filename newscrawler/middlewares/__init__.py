"""Scrapy middlewares of the project; each module holds one and documents its settings."""
