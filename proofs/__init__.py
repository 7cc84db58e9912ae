"""Symbolic (sympy) derivations behind the claims of lrinit_verify.

Each module is a sequence of named steps ending in assertions that the tests reuse.
"""
