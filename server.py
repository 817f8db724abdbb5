"""The app's own process: Streamlit (app.py) plus an HTTP API and start-up hooks.

Started by `make run` as `streamlit run server.py`. Streamlit discovers `app` below and
serves app.py's pages together with the routes of warroom.api (health check, and the
endpoints added by later features) in one process, the only one that opens the database.
"""
import logging

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from warroom import api, request_body, store
from warroom.ui.page import PAGE_ERROR_TEXT

# The store module serves the API and the camera fetcher without importing Streamlit itself.
store.server_config.use(config.get_option)

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("warroom")


def show_friendly_error(exc: Exception) -> bool:
    """Replace Streamlit's exception box: a short message on screen, the traceback in the log."""
    log.exception("page error", exc_info=exc)
    st.warning(PAGE_ERROR_TEXT, icon=":material/sync_problem:")
    return True


# Every request body is read bounded, and a stop ends reads in progress (warroom.request_body).
app = st.App("app.py", routes=api.routes(), lifespan=api.lifespan, on_script_error=show_friendly_error,
             middleware=[Middleware(request_body.BoundedReceive)])
