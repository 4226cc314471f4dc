"""essagenda: the consolidated agenda of France's social and solidarity economy."""

__version__ = "0.1.0"
