"""Crawl sample sites in one Scrapy process and dump items and stats as JSON (used by the tests).

Usage: python -m tests.spiders.samples.runner CONFIG.json
CONFIG: {"out": dir, "spiders": [name or URL, ...], "variant": str|null, "overlay": dir|null,
         "settings": {...}}
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scraper.items import Event
    from scraper.sample import SAMPLE_CRAWL_DATE
    from scraper.sample.server import serve_sample
    from spiders.registry_spiders import make_url_spider

    server, base = serve_sample(0, variant=config.get("variant"),
                                overlay=Path(config["overlay"]) if config.get("overlay") else None)
    settings = get_project_settings()
    overrides = {
        "ESS_BASE_URL_OVERRIDE": base, "ESS_CRAWL_DATE": SAMPLE_CRAWL_DATE, "ITEM_PIPELINES": {},
        "ESS_DB_PATH": "", "HTTPCACHE_ENABLED": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
    }
    overrides.update(config.get("settings") or {})
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    out = Path(config["out"])
    out.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings)
    items: dict[str, list[dict[str, Any]]] = {}

    def scraped(item: Any, spider: Any) -> None:
        if not isinstance(item, Event):
            return  # PageSeen: page bookkeeping for the store, not an event
        row = {k: _plain(v) for k, v in dataclasses.asdict(item).items()}
        items.setdefault(spider.name, []).append(row)

    requested: dict[str, list[str]] = {}

    def closed(spider: Any, reason: str) -> None:
        requested[spider.name] = sorted(getattr(spider, "_requested", ()))

    crawlers = []
    for name in config["spiders"]:
        target = make_url_spider(name) if "://" in name else name
        crawler = process.create_crawler(target)
        crawler.signals.connect(scraped, signal=signals.item_scraped)
        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler)
        crawlers.append(crawler)
    try:
        process.start()
    finally:
        server.shutdown()
        server.server_close()
    # Stats are read once every extension (the health one included) has closed its spider.
    for crawler in crawlers:
        name = crawler.spidercls.name
        stats = {k: _plain(v) for k, v in crawler.stats.get_stats().items()}
        (out / f"{name}.json").write_text(json.dumps(
            {"items": items.get(name, []), "stats": stats, "requested": requested.get(name, [])},
            ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
