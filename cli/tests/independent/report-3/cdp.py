"""Minimal Chrome DevTools Protocol client over --remote-debugging-pipe (stdlib only)."""
import json, os, subprocess, tempfile, shutil, base64, time, select

class Browser:
    def __init__(self, chromium="chromium", timeout=60):
        self.profile = tempfile.mkdtemp(prefix="cdp-profile-")
        r1, w1 = os.pipe()   # we write -> chrome reads fd 3
        r2, w2 = os.pipe()   # chrome writes fd 4 -> we read
        self.timeout = timeout
        def pre():
            a = os.dup(r1); b = os.dup(w2)
            os.dup2(a, 3); os.dup2(b, 4)
            os.set_inheritable(3, True); os.set_inheritable(4, True)
        args = [chromium, "--headless=new", "--disable-gpu", "--no-sandbox",
                "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--hide-scrollbars", "about:blank"]
        # os.pipe() fds are non-inheritable; the dup2'd 3 and 4 are inheritable and survive exec
        self.proc = subprocess.Popen(args, preexec_fn=pre, close_fds=False,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        os.close(r1); os.close(w2)
        self.wfd, self.rfd = w1, r2
        self.buf = b""
        self.next_id = 0
        self.events = []
        t = self.call("Target.createTarget", {"url": "about:blank"})
        tid = t["targetId"]
        a = self.call("Target.attachToTarget", {"targetId": tid, "flatten": True})
        self.session = a["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        self.network_requests = []
        self.call("Network.enable", session=True)

    def _send(self, msg):
        data = json.dumps(msg).encode() + b"\0"
        os.write(self.wfd, data)

    def _recv(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("CDP timeout")
            r, _, _ = select.select([self.rfd], [], [], left)
            if r:
                chunk = os.read(self.rfd, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=False, timeout=None):
        self.next_id += 1
        mid = self.next_id
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.time() + (timeout or self.timeout)
        while True:
            m = self._recv(deadline)
            if m.get("id") == mid:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self._event(m)

    def _event(self, m):
        meth = m.get("method", "")
        if meth == "Network.requestWillBeSent":
            self.network_requests.append(m["params"]["request"]["url"])
        self.events.append(meth)

    def wait_event(self, name, timeout=None):
        deadline = time.time() + (timeout or self.timeout)
        while True:
            if name in self.events:
                self.events.remove(name)
                return
            m = self._recv(deadline)
            self._event(m)

    def viewport(self, width, height, mobile=False, scale=1):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile},
                  session=True)

    def goto(self, url):
        self.events.clear()
        self.network_requests.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def eval(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=True)
        if "exceptionDetails" in r:
            raise RuntimeError("JS: " + json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def media(self, media):
        self.call("Emulation.setEmulatedMedia", {"media": media}, session=True)

    def screenshot(self, path, full=True):
        p = {"format": "png", "captureBeyondViewport": bool(full)}
        if full:
            w = self.eval("Math.ceil(document.documentElement.scrollWidth)")
            h = self.eval("Math.ceil(document.documentElement.scrollHeight)")
            p["clip"] = {"x": 0, "y": 0, "width": w, "height": h, "scale": 1}
        r = self.call("Page.captureScreenshot", p, session=True, timeout=120)
        data = base64.b64decode(r["data"])
        with open(path, "wb") as f:
            f.write(data)
        return data

    def pdf(self, path):
        r = self.call("Page.printToPDF", {"printBackground": False}, session=True, timeout=120)
        data = base64.b64decode(r["data"])
        with open(path, "wb") as f:
            f.write(data)
        return data

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.wfd, self.rfd):
            try: os.close(fd)
            except OSError: pass
        shutil.rmtree(self.profile, ignore_errors=True)


def png_decode(data):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG into (w, h, channels, rows of bytes)."""
    import zlib, struct
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8; idat = b""; w = h = None
    while pos < len(data):
        ln, typ = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + ln]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and interlace == 0 and ctype in (2, 6), (depth, ctype, interlace)
            ch = 3 if ctype == 2 else 4
        elif typ == b"IDAT":
            idat += chunk
        pos += 12 + ln
    raw = zlib.decompress(idat)
    stride = w * ch
    rows = []
    prev = bytearray(stride)
    i = 0
    for y in range(h):
        f = raw[i]; i += 1
        line = bytearray(raw[i:i + stride]); i += stride
        if f == 1:
            for x in range(ch, stride): line[x] = (line[x] + line[x - ch]) & 255
        elif f == 2:
            for x in range(stride): line[x] = (line[x] + prev[x]) & 255
        elif f == 3:
            for x in range(stride):
                a = line[x - ch] if x >= ch else 0
                line[x] = (line[x] + ((a + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - ch] if x >= ch else 0
                b = prev[x]; c = prev[x - ch] if x >= ch else 0
                p = a + b - c; pa = abs(p - a); pb = abs(p - b); pc = abs(p - c)
                pr = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line)); prev = line
    return w, h, ch, rows
