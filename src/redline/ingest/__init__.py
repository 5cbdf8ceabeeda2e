"""Reading articles, pages and feeds into the project database (see ``docs/ingest.md``)."""

from redline.ingest.core import Ingest, ingest_paths, load_extractor
from redline.ingest.readers import Options, parse_date, read_file

__all__ = ["ingest_paths", "Ingest", "load_extractor", "Options", "read_file", "parse_date"]
