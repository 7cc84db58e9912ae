"""Reports: the findings table (:mod:`.findings`, its tables as strings in :mod:`.findings_tables`) and the
derivation pages of the docs (:mod:`.pages`)."""
