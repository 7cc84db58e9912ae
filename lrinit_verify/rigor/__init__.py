"""Rigour: intervals and decision rules (:mod:`.stats`), certified enclosures (:mod:`.certify`),
counterexample searches (:mod:`.search`), assertions, strategies and the pytest plugin for users."""
