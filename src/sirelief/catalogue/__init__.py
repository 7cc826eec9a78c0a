"""Data files (exercises, built-in routines) and the loaders that validate them."""
