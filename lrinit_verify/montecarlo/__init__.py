"""The Monte Carlo engine: spectra and spectral radii (:mod:`.simulate`), energy and hidden-state
trajectories (:mod:`.trajectories`)."""
