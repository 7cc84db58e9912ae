"""``lrinit-verify bench``: the timing harness (:mod:`.harness`), the benchmark cases (:mod:`.cases`,
with sections (c) and (f) in :mod:`.trajectories` and :mod:`.torch_cases`) and the timing of the
Frobenius-energy routes (:mod:`.frobenius`)."""
