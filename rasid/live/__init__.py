"""Live input: a watched folder (``watch``) and polled feeds (``poll``), each batch ingested and analysed."""
