"""The generator of the offline sample (`scraper/sample/sites/`, `scraper/sample/v2/`) and its event table."""
