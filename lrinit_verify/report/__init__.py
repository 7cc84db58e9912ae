"""Reports: the findings table (:mod:`.findings`) and the derivation pages of the docs (:mod:`.pages`)."""
