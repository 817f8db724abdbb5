"""The app's own process: Streamlit (app.py) plus an HTTP API and start-up hooks.

Started by `make run` as `streamlit run server.py`. Streamlit discovers `app` below and
serves app.py's pages together with the routes of warroom.api (health check, and the
endpoints added by later features) in one process, the only one that opens the database.
"""
import logging

import streamlit as st
from streamlit import config

from warroom import api, store

# The store module serves the API and the camera fetcher without importing Streamlit itself.
store.server_config.use(config.get_option)

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("warroom")


def show_friendly_error(exc: Exception) -> bool:
    """Replace Streamlit's exception box: a short message on screen, the traceback in the log."""
    log.exception("page error", exc_info=exc)
    st.warning("Terjadi gangguan saat menampilkan bagian ini; mencoba lagi otomatis. "
               "(A part of this page could not be shown; retrying.)", icon=":material/sync_problem:")
    return True


app = st.App("app.py", routes=api.routes(), lifespan=api.lifespan, on_script_error=show_friendly_error)
