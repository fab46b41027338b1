"""SPDX 2.x in every encoding: JSON and YAML dicts are read by :mod:`.dict` (the one mapping from
SPDX 2 to the model); tag-value, RDF/XML, XML, XLSX and XLS are turned into that dict shape by
:mod:`.tools` (spdx-tools), :mod:`.tagvalue`, :mod:`.rdf`, :mod:`.xlsx` and :mod:`.xls`."""
