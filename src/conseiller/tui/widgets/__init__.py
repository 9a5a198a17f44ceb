"""Reusable chat widgets."""
