"""Locatiescan's server: the app (`streamlit_app.py`) with a warm-up before the first user.

`streamlit run app/server.py` serves the same pages as `streamlit run app/streamlit_app.py`.
Before the server accepts a connection it runs the default page (the Kaart) once, in a session
of its own, as Streamlit's script health check does. That imports the libraries and fills the
shared caches (prepared snapshots, stored screening, overlays, base map), so the first user's
page opens as fast as a rerun instead of paying for all of it. A page that fails here is only
logged: the server still starts and every user sees the page's own error message.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st
from streamlit import runtime
from streamlit.logger import get_logger

LOG = get_logger("locatiescan.server")


@asynccontextmanager
async def warm_up(_app: st.App) -> AsyncIterator[None]:
    """Run the default page once before the server accepts users; log how that went."""
    start = time.perf_counter()
    ok, outcome = await runtime.get_instance().does_script_run_without_error()
    seconds = time.perf_counter() - start
    if ok:
        LOG.info("Warm-up: default page ran in %.1f s", seconds)
    else:
        LOG.warning("Warm-up: default page ended with %s after %.1f s", outcome, seconds)
    yield


app = st.App("streamlit_app.py", lifespan=warm_up)
