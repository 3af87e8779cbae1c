"""The classroom view: a Solara page that steps the Mesa model week by week (``r2p view``)."""
