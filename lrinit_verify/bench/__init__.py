"""``lrinit-verify bench``: the timing harness (:mod:`.harness`), the benchmark cases (:mod:`.cases`)
and the timing of the Frobenius-energy routes (:mod:`.frobenius`)."""
