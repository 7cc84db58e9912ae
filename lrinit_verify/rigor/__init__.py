"""Rigour: intervals (:mod:`.stats`) and decision rules (:mod:`.decisions`), certified enclosures
(:mod:`.certify`), counterexample searches (:mod:`.search`, :mod:`.search_engine`), assertions,
strategies and the pytest plugin for users."""
