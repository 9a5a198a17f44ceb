"""conseiller: a guided advisor for social and solidarity economy projects in rural France."""

__version__ = "0.1.0"
