"""Pure helpers for the Streamlit app: map building, filters, tables, model editing, labels.

Nothing here touches Streamlit state or does I/O; the pages in `app/` call these and add caching.
"""
