"""CycloneDX 1.0-1.7, JSON and XML: both encodings become one dict shape, read by one walker
(:mod:`.walk`); :mod:`.common` holds versions, namespaces, BOM-Links and parties, :mod:`.schema`
the strict-mode validation."""
