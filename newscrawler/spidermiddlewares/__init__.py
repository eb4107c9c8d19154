"""Spider middlewares (``SPIDER_MIDDLEWARES``): one component a module."""
