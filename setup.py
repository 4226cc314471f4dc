"""Build hook for `scrapyd-deploy`, which packs the project by running `setup.py bdist_egg`.

Everything about the package (its modules, data files and the `scrapy` entry point that names
the settings module for Scrapyd) lives in pyproject.toml; without this file scrapyd-deploy
would write its own, naming a package called "project" that setuptools then refuses.
"""

from setuptools import setup

setup()
