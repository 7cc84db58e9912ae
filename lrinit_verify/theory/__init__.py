"""Exact theory: the spectral edge (:mod:`.edge`; real Glorot exactly in :mod:`.real_law`), finite-width energies (:mod:`.energy`), the rescaling
guarantee (:mod:`.rescale`) and the Frobenius route to the mean energy (:mod:`.frobenius`)."""
