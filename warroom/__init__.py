"""War Room: the logic behind the city's command-centre dashboards.

Nothing in this package imports Streamlit except its `ui` subpackage, so the command line,
the ingest engine and the tests stay fast to import; the process's database connection is
`warroom/store.py`, which the pages, the HTTP API and the camera fetcher share.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(__file__).resolve().parent
__version__ = "0.1.0"
