"""A library-like module for the leak-probe fixture: its warning is shown once per location
per process, so a warm kernel that kept the warnings registry would hide it in a later region."""
import warnings


def peringatkan() -> None:
    warnings.warn("peringatan uji dari pustaka", UserWarning)
