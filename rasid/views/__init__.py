"""The read model: what the API, the web pages and the exports read from the store.

``records`` turns stored event rows into the one event record every reader shares, ``catalog``
aggregates places and actors, ``context`` caches what a record needs beyond its row, ``geo`` makes
GeoJSON features, ``stories`` summarises a story, ``reader`` bundles them for a server, and
``params`` parses the query parameters pages and API share. Nothing here imports api, web or export.
"""
