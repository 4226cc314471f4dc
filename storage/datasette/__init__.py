"""`essagenda serve`: the command line that opens the database in Datasette with our metadata."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from storage.datasette.metadata import metadata

__all__ = ["database_name", "metadata", "serve_command_args", "write_metadata"]


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file: its stem ('data/essagenda.db' -> 'essagenda')."""
    return Path(db_path).stem


def write_metadata(db_path: str | Path, directory: str | Path | None = None) -> Path:
    """Write the metadata JSON for `db_path` (keyed by its Datasette name) and return its path.

    Datasette keys metadata by database name, which depends on the file name, so the file is
    written per database: by default into the system temp folder, overwritten on every call."""
    folder = Path(directory) if directory is not None else Path(tempfile.gettempdir()) / "essagenda-datasette"
    folder.mkdir(parents=True, exist_ok=True)
    name = database_name(db_path)
    target = folder / f"{name}-metadata.json"
    target.write_text(json.dumps(metadata(name), ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def serve_command_args(
    db_path: str | Path, host: str = "127.0.0.1", port: int = 8001, *, metadata_dir: str | Path | None = None
) -> list[str]:
    """argv that serves `db_path` with Datasette (`python -m datasette serve …`), with table and
    column descriptions, full-text search on events and the canned queries. Suitable for
    `os.execvp(args[0], args)` or `subprocess.Popen(args)`."""
    metadata_path = write_metadata(db_path, metadata_dir)
    return [
        sys.executable, "-m", "datasette", "serve", str(Path(db_path)),
        "--host", host, "--port", str(port),
        "--metadata", str(metadata_path),
        # Not --immutable: a crawl may be writing to the file while people browse it.
        "--setting", "sql_time_limit_ms", "3500",
        "--setting", "default_page_size", "50",
        "--setting", "facet_time_limit_ms", "500",
    ]
