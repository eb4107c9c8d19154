"""Downloader middlewares (``DOWNLOADER_MIDDLEWARES``): one component a module."""
