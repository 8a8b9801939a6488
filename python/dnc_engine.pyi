"""dnc-engine: Do-Not-Call decisions in-process, with the LiveVox
Compliance API's isBlocked semantics.

Errors are :class:`DncError` (a ``ValueError``) whose ``code`` is the replay
protocol's ("invalid_phone", "unknown_service", ...); a wrong type is a
``DncError`` too (``bad_request`` or ``invalid_id``). Batch checks release
the GIL while they check.

Values: an id is an int, a string of digits, or a whole float (a pandas
column of ids with a missing value holds floats); a bool is never an id.
A phone or zip is a str or an int (a table's number column); an account is
a str. ``None``, ``""`` and NaN are "not given". A request is a dict of
``service``, ``client``, ``phone``, ``account``, ``zip`` (an unknown key is
refused) or a ``(service, phone, account, zip)`` tuple (trailing items may
be left out).

Threads: checks may share an engine; a change while another thread is in
a call on the same engine (a batch releases the GIL) raises
``RuntimeError("Already borrowed")``, so put changes under your own lock.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, Optional, Union

__version__: str

Id = Union[int, str, float]
Text = Union[str, int]
Request = Union[Mapping[str, Any], tuple]

class DncError(ValueError):
    """A request the engine refuses."""

    code: str
    """The replay protocol's error code, e.g. ``"invalid_phone"``."""
    message: str
    """Which value and why."""

class Verdict:
    """The answer to a check, with its reasons."""

    @property
    def blocked(self) -> bool:
        """Whether the contact must not be made."""
    @property
    def entries(self) -> list[int]:
        """Every applicable legacy entry id, ascending."""
    @property
    def dialtime_entries(self) -> list[int]:
        """For a DIAL_TIME client: the dialtime-list ids that block."""
    @property
    def flags(self) -> list[str]:
        """The applicable account flags: "DO_NOT_DIAL", "DO_NOT_DIAL_DAILY"."""

class DialDecision:
    """May I contact this number now, and if not, why and until when."""

    @property
    def allowed(self) -> bool: ...
    @property
    def may_leave_message(self) -> bool: ...
    @property
    def next_allowed(self) -> Optional[int]:
        """Epoch milliseconds at which every refusal has lapsed; None when
        one never lapses by itself."""
    @property
    def reasons(self) -> list[str]:
        """Every reason the contact is refused, one readable line each."""
    @property
    def dnc(self) -> Verdict:
        """The DNC lists' and flags' verdict (dial check rules)."""

class Engine:
    """One engine: every client's DNC lists, flags, profiles, registries."""

    def __init__(self) -> None: ...
    def register_service(self, client: Id, service: Id) -> None: ...
    def add(
        self,
        *,
        id: Optional[Id] = None,
        client: Optional[Id] = None,
        service: Optional[Id] = None,
        phone: Optional[Text] = None,
        account: Optional[str] = None,
        zip: Optional[Text] = None,
        daily: bool = False,
    ) -> int:
        """Adds one entry and returns its id."""
    def add_many(self, entries: Iterable[Mapping[str, Any]]) -> list[Union[int, DncError]]:
        """Adds many entries: per entry its id, or the DncError that refused it."""
    def set_account_flags(
        self,
        client: Id,
        account: str,
        *,
        do_not_dial: Optional[bool] = None,
        do_not_dial_daily: Optional[bool] = None,
    ) -> tuple[bool, bool]: ...
    def clear_daily(self, client: Optional[Id] = None) -> int:
        """The nightly clear; returns how many entries it removed."""
    def is_blocked(
        self,
        *,
        service: Id,
        client: Optional[Id] = None,
        phone: Optional[Text] = None,
        account: Optional[str] = None,
        zip: Optional[Text] = None,
    ) -> Verdict: ...
    def dial_check(
        self,
        *,
        service: Id,
        client: Optional[Id] = None,
        phone: Optional[Text] = None,
        account: Optional[str] = None,
        zip: Optional[Text] = None,
    ) -> Verdict: ...
    def is_blocked_many(
        self, requests: Iterable[Request], *, errors: Literal["raise", "return"] = "raise"
    ) -> list[Union[Verdict, DncError]]: ...
    def dial_check_many(
        self, requests: Iterable[Request], *, errors: Literal["raise", "return"] = "raise"
    ) -> list[Union[Verdict, DncError]]: ...
    def scrub(
        self, rows: Any, *, service: Optional[int] = None, dial: bool = False
    ) -> list[Union[Verdict, DncError]]:
        """Rows of dicts, a pandas DataFrame or an Arrow table: per row its
        Verdict or DncError."""
    def dial_decision(
        self,
        service: Id,
        phone: Text,
        at: Union[int, str, datetime],
        *,
        account: Optional[str] = None,
        zip: Optional[str] = None,
        channel: Literal["voice", "sms"] = "voice",
        zip_match: Literal["DIAL_TIME", "DIAL_TIME_OPTIMIZED"] = "DIAL_TIME",
    ) -> DialDecision: ...
    def snapshot(self) -> bytes:
        """The whole engine as an image."""
    @staticmethod
    def restore(image: bytes) -> "Engine": ...
    def replay(self, line: str) -> Optional[str]:
        """Answers one `dnc replay` request line."""
    def __len__(self) -> int:
        """How many legacy DNC entries the engine holds (not channel-list
        entries, flags or registry numbers)."""
