"""Error classes: every message names the input and says what to do."""


class RasidError(Exception):
    """Base of every error Rasid raises on purpose; the CLI prints it without a traceback."""

    exit_code = 1
    http_status = 400
    code = "rasid_error"


class InputError(RasidError):
    """An input (file, line, URL, flag value) cannot be read as it is."""

    code = "bad_input"


class EncodingError(InputError):
    """A file's text encoding cannot be decided."""

    code = "bad_encoding"


class FetchError(InputError):
    """A URL did not answer or answered with an error."""

    code = "fetch_failed"


class StoreError(RasidError):
    """The database cannot be opened, migrated or written."""

    code = "store_error"
    http_status = 500


class ConfigError(RasidError):
    """A setting, a settings file or an environment variable is wrong."""

    code = "bad_setting"


class NotFound(RasidError):
    code = "not_found"
    http_status = 404


class MissingDependency(RasidError):
    """An optional extra is needed: the message names the pip command."""

    code = "missing_dependency"
    http_status = 500

    def __init__(self, module: str, extra: str, purpose: str):
        super().__init__(
            f"{purpose} needs the Python package '{module}', which is not installed; "
            f"install it with: pip install 'rasid[{extra}]'"
        )
