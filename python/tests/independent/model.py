"""An independent model of dnc-engine part 1 (SPEC.md sections 1-5), written
from the spec's words only.  Errors raise ModelError(code)."""

import re

MAX_ID = 2**63 - 1


class ModelError(Exception):
    def __init__(self, code, msg=""):
        super().__init__(code, msg)
        self.code = code


def _absent(v):
    return v is None or v == ""


def canon_id(v, what="id"):
    if isinstance(v, bool) or not isinstance(v, int):
        raise ModelError("invalid_id", what)
    if v <= 0 or v > MAX_ID:
        raise ModelError("invalid_id", what)
    return v


def canon_phone(v):
    if not isinstance(v, str) or not re.fullmatch(r"[0-9*]{1,15}", v):
        raise ModelError("invalid_phone", v)
    return v


def canon_account(v):
    if not isinstance(v, str):
        raise ModelError("invalid_account", v)
    b = v.encode("utf-8", "surrogatepass")
    if not (1 <= len(b) <= 64) or any(c < 0x21 or c > 0x7E for c in b):
        raise ModelError("invalid_account", v)
    return v


def canon_zip(v):
    if not isinstance(v, str):
        raise ModelError("invalid_zip", v)
    if re.fullmatch(r"[0-9*]{5}", v):
        return v
    if re.fullmatch(r"[0-9]{5}-[0-9]{4}", v):
        return v[:5]
    raise ModelError("invalid_zip", v)


def pattern_match(p, r, fold=False):
    if fold:
        p, r = p.lower(), r.lower()
    if len(r) < len(p):
        return False
    for i, c in enumerate(p):
        if c != "*" and c != r[i]:
            return False
    return len(r) == len(p) or p.endswith("*")


class Model:
    def __init__(self):
        self.services = {}  # service -> client
        self.entries = {}  # id -> dict(client, service, phone, account, zip, daily)
        self.max_seen = 0
        self.flags = {}  # (client, account.lower()) -> [dnd, dndd]

    # ---- changes -------------------------------------------------------
    def register_service(self, client, service):
        canon_id(client, "client")
        canon_id(service, "service")
        have = self.services.get(service)
        if have is not None and have != client:
            raise ModelError("service_client_mismatch")
        self.services[service] = client

    def add(self, id=None, client=None, service=None, phone=None, account=None,
            zip=None, daily=False):
        # validate everything before changing anything
        if not _absent(service):
            canon_id(service, "service")
            if service not in self.services:
                raise ModelError("unknown_service")
            owner = self.services[service]
            if not _absent(client):
                canon_id(client, "client")
                if client != owner:
                    raise ModelError("service_client_mismatch")
            client = owner
        else:
            service = None
            if _absent(client):
                raise ModelError("bad_request")
            canon_id(client, "client")
        ph = None if _absent(phone) else canon_phone(phone)
        ac = None if _absent(account) else canon_account(account)
        zp = None if _absent(zip) else canon_zip(zip)
        kind = (ph is not None, ac is not None, zp is not None)
        if kind not in [(True, False, False), (False, True, False),
                        (True, True, False), (False, False, True)]:
            raise ModelError("invalid_entry")
        if not _absent(id):
            canon_id(id)
            if id in self.entries:
                raise ModelError("duplicate_id")
        else:
            if self.max_seen + 1 > MAX_ID:
                raise ModelError("invalid_id")
            id = self.max_seen + 1
        self.entries[id] = dict(client=client, service=service, phone=ph,
                                account=ac, zip=zp, daily=bool(daily))
        self.max_seen = max(self.max_seen, id)
        return id

    def remove(self, id):
        canon_id(id)
        if id not in self.entries:
            raise ModelError("not_found")
        del self.entries[id]

    def set_account_flags(self, client, account, do_not_dial=None,
                          do_not_dial_daily=None):
        canon_id(client, "client")
        canon_account(account)
        k = (client, account.lower())
        f = list(self.flags.get(k, [False, False]))
        if do_not_dial is not None:
            f[0] = bool(do_not_dial)
        if do_not_dial_daily is not None:
            f[1] = bool(do_not_dial_daily)
        self.flags[k] = f
        return tuple(f)

    def clear_daily(self, client=None):
        if client is not None:
            canon_id(client, "client")
        gone = [i for i, e in self.entries.items()
                if e["daily"] and (client is None or e["client"] == client)]
        for i in gone:
            del self.entries[i]
        for k, f in self.flags.items():
            if client is None or k[0] == client:
                f[1] = False
        return len(gone)

    # ---- checks --------------------------------------------------------
    def check(self, service, client=None, phone=None, account=None, zip=None,
              dial=False):
        """Returns (blocked, [entry ids], [flags])."""
        ph = None if _absent(phone) else canon_phone(phone)
        ac = None if _absent(account) else canon_account(account)
        zp = None if _absent(zip) else canon_zip(zip)
        if ph is None and ac is None and zp is None:
            raise ModelError("bad_request")
        canon_id(service, "service")
        if dial and ph is not None and "*" in ph:
            raise ModelError("invalid_phone")
        if service not in self.services:
            raise ModelError("unknown_service")
        C = self.services[service]
        if not _absent(client):
            canon_id(client, "client")
            if client != C:
                raise ModelError("service_client_mismatch")

        def eq_phone(stored):
            if ph is None:
                return False
            if dial and "*" in stored:
                return pattern_match(stored, ph)
            return stored == ph

        def eq_acct(stored):
            if ac is None:
                return False
            if dial and "*" in stored:
                return pattern_match(stored, ac, fold=True)
            return stored.lower() == ac.lower()

        ids = []
        for i, e in self.entries.items():
            if e["client"] != C:
                continue
            if e["service"] is not None and e["service"] != service:
                continue
            if e["zip"] is not None:
                ok = zp is not None and e["zip"] == zp
            elif e["phone"] is not None and e["account"] is not None:
                ok = eq_phone(e["phone"]) and eq_acct(e["account"])
            elif e["phone"] is not None:
                ok = eq_phone(e["phone"])
            else:
                ok = eq_acct(e["account"])
            if ok:
                ids.append(i)
        ids.sort()
        flags = []
        if ac is not None:
            f = self.flags.get((C, ac.lower()), [False, False])
            if f[0]:
                flags.append("DO_NOT_DIAL")
            if f[1]:
                flags.append("DO_NOT_DIAL_DAILY")
        return (bool(ids or flags), ids, flags)
