"""Exact theory: the spectral edge (:mod:`.edge`; real Glorot exactly in :mod:`.real_law`, its real
eigenvalues in :mod:`.real_eigenvalues`), finite-width energies (:mod:`.energy`; Wick enumeration in
:mod:`.enumeration`), the rescaling guarantee (:mod:`.rescale`) and the Frobenius route to the mean
energy (:mod:`.frobenius`)."""
