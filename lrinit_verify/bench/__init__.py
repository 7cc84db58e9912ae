"""``lrinit-verify bench``: the timing harness (:mod:`.harness`) and the benchmark cases (:mod:`.cases`)."""
