"""The one exception type that reaches users: a message that names the bad value."""


class HealthqaError(Exception):
    """A problem with the user's input or environment; the CLI prints it on one line, exit 2."""
