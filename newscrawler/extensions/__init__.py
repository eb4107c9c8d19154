"""Scrapy extensions (``EXTENSIONS``): one component a module."""
