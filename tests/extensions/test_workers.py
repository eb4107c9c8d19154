"""``WorkerKeepAlive`` on the real Redis at 127.0.0.1:6379: a worker with nothing to fetch stays
open while another worker is busy, and for a while after it last saw work, then lets go."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from scrapy.exceptions import DontCloseSpider

from newscrawler.extensions.workers import WorkerKeepAlive
from tests.support import redis_client

IDLE_SECONDS = 0.5


@pytest.fixture
def client() -> Any:
    return redis_client()


@pytest.fixture
def prefix(client: Any) -> Iterator[str]:
    prefix = f"newscrawler:test-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def worker(client: Any, prefix: str) -> WorkerKeepAlive:
    return WorkerKeepAlive(client, prefix, idle_seconds=IDLE_SECONDS)


def test_a_new_worker_waits_before_it_ends_then_lets_go(client: Any, prefix: str) -> None:
    alone = worker(client, prefix)
    with pytest.raises(DontCloseSpider):
        alone.idle()  # just started: another may be taking the start pages
    time.sleep(IDLE_SECONDS * 1.5)
    alone.idle()  # nothing happened meanwhile: it may end


def test_an_idle_worker_stays_open_while_another_is_busy(client: Any, prefix: str) -> None:
    idle, busy = worker(client, prefix), worker(client, prefix)
    busy.mark = f"{prefix}:busy:other-host:1"
    time.sleep(IDLE_SECONDS * 1.5)
    busy.busy()
    with pytest.raises(DontCloseSpider):
        idle.idle()
    assert client.exists(busy.mark) and not client.exists(idle.mark)

    busy.idle_seconds = 0
    busy.idle()  # the other one finished: its mark goes
    assert not client.exists(busy.mark)
    with pytest.raises(DontCloseSpider):
        idle.idle()  # it saw work a moment ago
    time.sleep(IDLE_SECONDS * 1.5)
    idle.idle()


def test_its_own_requests_keep_a_worker_open_for_a_while(client: Any, prefix: str) -> None:
    alone = worker(client, prefix)
    time.sleep(IDLE_SECONDS * 1.5)
    alone.busy()
    assert client.exists(alone.mark)
    with pytest.raises(DontCloseSpider):
        alone.idle()
    assert not client.exists(alone.mark)
