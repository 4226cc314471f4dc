"""A link-following spider run with the project's own settings (`python -m tests.reliability.politecrawl URL`).

It yields no items, so it measures only what the settings make the downloader do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any


def main(url: str) -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    class LinkSpider(scrapy.Spider):
        name = "reliability_links"
        start_urls = (url,)

        def parse(self, response: Any) -> Iterator[Any]:
            yield from response.follow_all(css="a", callback=self.parse)

    settings = get_project_settings()
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(LinkSpider)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1])
