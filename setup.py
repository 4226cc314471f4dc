"""Build hook for `scrapyd-deploy`, which packs the project by running `setup.py bdist_egg`.

Everything about the package (its modules, data files and the `scrapy` entry point that names
the settings module for Scrapyd) lives in pyproject.toml. Without this file, scrapyd-deploy
writes a setup.py of its own into the checkout, naming a package "project" with its own entry
point, both of which setuptools ignores because pyproject.toml declares the project.
"""

from setuptools import setup

setup()
