"""The identifier leaves every stage may use: purls (:mod:`.purl`), CPEs (:mod:`.cpe`), URL
hosts, e-mail domains and forge organisations (:mod:`.hosts`), name normalisation
(:mod:`.text`) and the folding of disguised names (:mod:`.fold`, data in ``_fold_data``).

They import nothing from the stages, so ingest, matching, tracing and waivers read an
identifier the same way. This package imports none of its modules itself: a reader that
only checks purls does not load the host or folding tables.
"""
