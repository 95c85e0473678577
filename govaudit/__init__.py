"""govaudit: audit government websites against national website standards."""

__version__ = "0.4.0"
