"""Random matrices and initialisers: Glorot-type ensembles (numpy :mod:`.ensembles`, torch
:mod:`.torch_ensembles`), initialisers (:mod:`.init`, :mod:`.torch_init`) and the Hessenberg model."""
