"""SPDX 3.0.x JSON-LD: :mod:`.jsonld` reads it, :mod:`.vocab` maps its vocabulary onto the model,
:mod:`.strict` checks the SHACL-derived rules in strict mode."""
