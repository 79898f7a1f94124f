"""Helpers shared by bench/run, bench/reload and bench/throughput.

Everything here works on loopback with the toolchain on PATH and `wrk` for HTTP load. Apps are
prepared in a work folder kept between runs (`.build/bench/` by default) so that later runs reuse
SwiftPM's and rw dev's caches; the app sources are reset to their pristine content on every run.
"""
import glob, http.client, os, re, shutil, signal, statistics, subprocess, sys, tempfile, threading, time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# MARK: - HTTP

def get(url, timeout=30, headers=None):
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as response:
            return response.read().decode()
    except Exception:
        return None


def wait_for(url, text, limit=900):
    """Polls `url` every 2 ms until its body contains `text`; returns the time it did."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        body = get(url)
        if body and text in body:
            return time.monotonic()
        time.sleep(0.002)
    raise RuntimeError(f"{url} never showed {text!r}")


def is_whole_page(body):
    """Whether `body` is a whole HTML page: the doctype first and the closing tag last."""
    return body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")


class Load:
    """Steady, bounded load: `connections` keep-alive clients, each sending one GET after the
    other (10 ms pause after a failure). Counts answered requests (200 with a body that passes
    `check`, by default a whole HTML page) and failed ones (refused, reset, timed out, any other
    status, or a body that fails the check); `problems` keeps the first few reasons."""

    def __init__(self, port, path="/", connections=4, check=is_whole_page):
        self.port, self.path, self.connections, self.check = port, path, connections, check
        self.ok = self.failed = 0
        self.problems = []
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(connections)]

    def _run(self):
        connection = None
        while not self.stop_flag.is_set():
            problem = None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("GET", self.path)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    problem = f"status {response.status}"
                elif not self.check(body):
                    problem = f"200 with an unexpected body {body[:60]!r}"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
                if connection is not None:
                    connection.close()
                connection = None
            with self.lock:
                if problem is None:
                    self.ok += 1
                else:
                    self.failed += 1
                    if len(self.problems) < 3:
                        self.problems.append(problem)
            if problem is not None:
                time.sleep(0.01)
        if connection is not None:
            connection.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wrk(url, seconds, connections, script=None):
    """One wrk run (one thread); returns req/s, p50 and p99 in ms, and the error count."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout

    def duration(text):
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = duration(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = duration(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non2xx.group(1)) if non2xx else 0
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def cpu_seconds(pids):
    """User + system CPU time used so far by the processes `pids`."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def ensure_free(*ports):
    """Fails when something already listens on one of `ports` (a server left from another run
    would otherwise answer in place of the one being measured)."""
    import socket
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is in use; stop what listens there first")


def wait_port(url, limit=120):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if get(url, timeout=5) is not None:
            return
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {url}")


# MARK: - Statistics

def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def median(values):
    return statistics.median(values)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


# MARK: - Building

def run_quiet(command, **kwargs):
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:])
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode})")
    return result.stdout


def rw_binary(configuration="release"):
    """This checkout's rw, built in `configuration` (release: the rw `scripts/install` installs;
    the smoke run takes the debug build the tests already made); or the binary $RW_BENCH_RW
    names (another build of rw to compare, such as one from an older commit)."""
    if os.environ.get("RW_BENCH_RW"):
        return os.environ["RW_BENCH_RW"]
    run_quiet(["swift", "build", "-c", configuration, "--product", "rw"], cwd=ROOT)
    return os.path.join(run_quiet(["swift", "build", "-c", configuration, "--show-bin-path"], cwd=ROOT).strip(), "rw")


def swift_build(app, scratch, product, configuration="debug"):
    run_quiet(["swift", "build", "--package-path", app, "--scratch-path", scratch, "-c", configuration, "--product", product])
    return os.path.join(scratch, configuration, product)


def work_folder():
    folder = os.environ.get("RW_BENCH_WORK") or os.path.join(ROOT, ".build", "bench")
    os.makedirs(folder, exist_ok=True)
    return folder


def set_shelf(folder, marker):
    """Rewrites the lowest target's Shelf.swift (a 3-layer generated app) to show `marker` on /."""
    with open(os.path.join(folder, "Sources", "GenShelf", "Shelf.swift"), "w") as f:
        f.write(f'public func shelfTitle() -> String {{ "{marker}" }}\n')


def set_badge(folder, k):
    """Changes the signature of `Badge` (its second parameter becomes `tone<k>:`), which 20 pages
    call, so their files depend on a changed interface; / then shows `badge tone <k>`."""
    path = os.path.join(folder, "Sources", "GenApp", "Badge.swift")
    with open(path) as f:
        source = f.read()
    source = re.sub(r'func Badge\(_ n: Int, tone\d+: String = "tone \d+"\) -> String \{ "badge \\\(tone\d+\) \\\(n\)" \}',
                    lambda _: f'func Badge(_ n: Int, tone{k}: String = "tone {k}") -> String {{ "badge \\(tone{k}) \\(n)" }}', source)
    with open(path, "w") as f:
        f.write(source)


def forget_build_plans(package, scratch=None):
    """Removes SwiftPM's build plans (`.build*/*.yaml` of `package`, or `scratch/*.yaml`) so the
    next build plans again: SwiftPM may keep using a plan that lacks a source file added to a path
    dependency (this checkout)."""
    pattern = os.path.join(scratch, "*.yaml") if scratch else os.path.join(package, ".build*", "*.yaml")
    for plan in glob.glob(pattern):
        os.remove(plan)


def reset_sources(source, app):
    """Makes `app` a copy of `source` without touching its build caches (.build*, .rw)."""
    os.makedirs(app, exist_ok=True)
    forget_build_plans(app)
    for name in os.listdir(app):
        if name.startswith(".build") or name == ".rw":
            continue
        path = os.path.join(app, name)
        shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
    for name in os.listdir(source):
        if name.startswith(".build") or name in (".rw", ".swiftpm"):
            continue
        src, dst = os.path.join(source, name), os.path.join(app, name)
        shutil.copytree(src, dst) if os.path.isdir(src) else shutil.copy2(src, dst)


# Modules an edit can start importing, one per re-optimization: (package URL, version, package
# name, product/module, an expression using it that evaluates to an Int).
EXTRA_MODULES = [
    ("https://github.com/apple/swift-algorithms", "1.2.1", "swift-algorithms", "Algorithms", "[1, 2, 3].chunks(ofCount: 2).count"),
    ("https://github.com/apple/swift-collections", "1.6.0", "swift-collections", "DequeModule", "Deque([1, 2]).count"),
    ("https://github.com/apple/swift-numerics", "1.1.1", "swift-numerics", "RealModule", "Int(Double.exp(0.0))"),
    ("https://github.com/apple/swift-collections", "1.6.0", "swift-collections", "OrderedCollections", "OrderedSet([1, 2, 2]).count"),
    ("https://github.com/apple/swift-collections", "1.6.0", "swift-collections", "HeapModule", "Heap([3, 1, 2]).count"),
]

STATE_SOURCE = """import RwSDK

// Added by bench/: a visit counter kept with defineRwState, read at /bench/state.
func benchStateResponse() -> RwResponse {
    let visits = updateRwState("bench.visits", initializer: { 0 }) { (count: inout Int) -> Int in
        count += 1
        return count
    }
    return RwResponse(headers: ["Content-Type": "text/plain"], text: "visits \\(visits)\\n")
}
"""


def prepare_hello(extra_modules):
    """A copy of playground/hello-world in the work folder, depending on this checkout, declaring
    (not importing) the first `extra_modules` of EXTRA_MODULES, with a /bench/state route and
    bench/realtime's channel (`bench:*`)."""
    app = os.path.join(work_folder(), "hello-world")
    reset_sources(os.path.join(ROOT, "playground/hello-world"), app)
    manifest = os.path.join(app, "Package.swift")
    with open(manifest) as f:
        text = f.read().replace('path: "../.."', f'path: "{ROOT}"')
    modules = EXTRA_MODULES[:extra_modules]
    packages = {}
    for url, version, package, _, _ in modules:
        packages.setdefault(package, f'.package(url: "{url}", from: "{version}"),\n        ')
    products = "".join(f', .product(name: "{m}", package: "{p}")' for _, _, p, m, _ in modules)
    text = text.replace('.package(name: "RwSDK", path:', "".join(packages.values()) + '.package(name: "RwSDK", path:')
    text = text.replace('dependencies: [.product(name: "RwSDK", package: "RwSDK")]',
                        'dependencies: [.product(name: "RwSDK", package: "RwSDK")' + products + "]")
    with open(manifest, "w") as f:
        f.write(text)
    with open(os.path.join(app, "Sources/HelloWorld/BenchState.swift"), "w") as f:
        f.write(STATE_SOURCE)
    # bench/realtime's channel, so the realtime rows measure the same channel under rw dev.
    shutil.copy2(os.path.join(ROOT, "bench/realtime/Sources/Realtime/BenchChannel.swift"), os.path.join(app, "Sources/HelloWorld"))
    app_swift = os.path.join(app, "Sources/HelloWorld/App.swift")
    with open(app_swift) as f:
        text = f.read()
    with open(app_swift, "w") as f:
        f.write(text.replace("    render(Document) {",
                             '    route("/bench/state") { benchStateResponse() }\n    benchChannel()\n    render(Document) {', 1))
    return app


def set_heading(path, marker, imports=(), expression=None):
    """Rewrites the page's `h1 { "…" }` to show `marker` (and `expression`'s value after it),
    with `imports` added at the top of the file."""
    with open(path) as f:
        source = f.read()
    content = f"{marker} \\({expression})" if expression else marker
    source = re.sub(r'h1 \{ "[^"]*" \}', lambda _: f'h1 {{ "{content}" }}', source, count=1)
    for module in imports:
        if f"import {module}\n" not in source:
            source = f"import {module}\n" + source
    with open(path, "w") as f:
        f.write(source)


def clear_deps_images(app):
    """Removes rw dev's linked deps images, so the next session relinks them (objects stay)."""
    for path in glob.glob(os.path.join(app, ".rw", "**", "libRwDeps-*.so"), recursive=True):
        os.remove(path)


# MARK: - Browser

class Browser:
    """Headless Debian Chromium driven by chromedriver (W3C WebDriver over loopback HTTP), as the
    tests' Browser.swift drives it."""

    def __init__(self):
        self.driver = subprocess.Popen(["/usr/bin/chromedriver", "--port=0"], stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, text=True)
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = self.driver.stdout.readline()
            match = re.search(r"started successfully on port (\d+)", line)
            if match:
                port = match.group(1)
        if port is None:
            terminate(self.driver)
            raise RuntimeError("chromedriver did not start within 30 s")
        threading.Thread(target=lambda: [None for _ in self.driver.stdout], daemon=True).start()
        self.base = f"http://127.0.0.1:{port}"
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,800"]}
        reply = self._command("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}})
        self.session = reply["sessionId"]

    def _command(self, method, path, body=None):
        import json
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with opener.open(request, timeout=120) as response:
            return json.loads(response.read().decode())["value"]

    def open(self, url):
        self._command("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script):
        """Runs `script` (a function body; `return` gives the result) in the page."""
        return self._command("POST", f"/session/{self.session}/execute/sync", {"script": script, "args": []})

    def run_async(self, script):
        """Runs `script` in the page; it finishes by calling `done(result)`."""
        body = "const done = arguments[arguments.length - 1];\n" + script
        return self._command("POST", f"/session/{self.session}/execute/async", {"script": body, "args": []})

    def wait(self, condition, limit=120):
        """Polls the JavaScript `condition` every 10 ms until it is true (errors while the page
        loads count as not yet); raises after `limit` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                if self.run(f"return Boolean({condition});"):
                    return
            except Exception:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"the page never satisfied {condition}")

    def stop(self):
        try:
            self._command("DELETE", f"/session/{self.session}")
        except Exception:
            pass
        terminate(self.driver)


# MARK: - Servers

def child_named(parent, name):
    """The pid of `parent`'s child process called `name` (read from /proc, no procps needed)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            if comm == name[:15] and int(stat[stat.rindex(")") + 2:].split()[1]) == parent:
                return int(entry)
    raise RuntimeError(f"no {name} process under {parent}")


class DevServer:
    """`rw dev` on an app package; keeps its terminal output to read the reload spans."""

    def __init__(self, rw, app, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.lines = []
        t0 = time.monotonic()
        self.process = subprocess.Popen([rw, "dev", "--package-path", app, "--port", str(port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, "NO_COLOR": "1"})
        for line in self.process.stdout:
            self.lines.append(line)
            if "listening on" in line:
                break
        else:
            raise RuntimeError("rw dev stopped before listening:\n" + "".join(self.lines[-40:]))
        threading.Thread(target=self._drain, daemon=True).start()
        self.start_seconds = wait_for(self.url + "/", "<html") - t0
        self.runner = child_named(self.process.pid, "rw-runner")

    def _drain(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def spans(self, since):
        """(build ms, load ms, build steps) of each `↻ gen N` line after line `since`."""
        found = []
        for line in self.lines[since:]:
            match = re.search(r"↻ gen \d+ .* build (\d+) ms(?: \(([^)]*)\))? · load (\d+) ms", line)
            if match:
                found.append((int(match.group(1)), int(match.group(3)), match.group(2) or ""))
        return found

    def stop(self):
        terminate(self.process)


def terminate(process):
    """Stops `process` with SIGTERM, or SIGKILL when it has not exited 30 s later."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Relaunched:
    """A built app executable, stopped with SIGTERM and started again after each build."""

    def __init__(self, binary, port, public):
        self.binary, self.port, self.public = binary, port, public
        self.url = f"http://127.0.0.1:{port}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen([self.binary, "--port", str(self.port), "--public", self.public],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        if self.process is not None:
            terminate(self.process)
            self.process = None


class Background:
    """Any server process, stopped on exit."""

    def __init__(self, command, cwd=None, env=None):
        environment = dict(os.environ, **env) if env else None
        self.process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        terminate(self.process)


class Postgres:
    """A throwaway PostgreSQL cluster from Debian's `postgresql` on 127.0.0.1:`port` (run as the
    `postgres` user when this is root, as the server refuses root), with a database `rw` of a
    user `rw`; removed by `stop`."""

    def __init__(self, port):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        if not versions:
            raise RuntimeError("PostgreSQL is not installed (scripts/install-system-packages)")
        self.bin = os.path.dirname(versions[-1])
        self.port = port
        self.folder = tempfile.mkdtemp(prefix="rw-bench-pg-")
        self.url = f"postgres://rw:secret@127.0.0.1:{port}/rw"
        with open(os.path.join(self.folder, "pwfile"), "w") as f:
            f.write("secret\n")
        if os.getuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", self.folder], check=True)
        data = os.path.join(self.folder, "data")
        self._tool("initdb", "-D", data, "-U", "rw", "--pwfile", os.path.join(self.folder, "pwfile"), "-A", "scram-sha-256",
                   "--auth-local=trust", "-E", "UTF8", "--no-sync")
        self._tool("pg_ctl", "-D", data, "-l", os.path.join(self.folder, "log"), "-w", "-t", "60", "start", "-o",
                   f"-c listen_addresses=127.0.0.1 -p {port} -k {self.folder} -c fsync=off -c max_connections=100")
        self._tool("createdb", "-h", self.folder, "-p", str(port), "-U", "rw", "rw")

    def _tool(self, name, *arguments):
        command = [os.path.join(self.bin, name), *arguments]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        run_quiet(command, cwd="/tmp")

    def stop(self):
        try:
            self._tool("pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


# MARK: - A generated 30-file app

def generate_app(folder, files=30, layers=1, globals=0):
    """Writes an app package of `files` Swift files to `folder`, keeping build caches there: a
    document, models, widgets, an app definition and pages with routes, loops and helpers. The
    page at / has the `h1 { "…" }` that edits rewrite, and shows `Badge(…)` (Badge.swift),
    which pages 1–20 call (`set_badge` changes its signature). With `layers=3` the app target
    `GenApp` depends on `GenCatalog` (10 files), which depends on `GenShelf` (10 files, the
    lowest: `set_shelf` rewrites the marker of its Shelf.swift, shown on /). With `globals` > 0,
    Globals.swift declares that many app globals, a quarter each of mutable counters, class
    instances, actors and closures, which GET /globals initializes (one more file)."""
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if not (name.startswith(".build") or name == ".rw"):
            path = os.path.join(folder, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    lower = 20 if layers == 3 else 0
    pages = files - 5 - lower
    forget_build_plans(folder)
    library = os.path.join(folder, "Sources", "GenApp")
    os.makedirs(library)
    os.makedirs(os.path.join(folder, "Sources", "gen-app"))
    os.makedirs(os.path.join(folder, "public"))
    rwsdk = '.product(name: "RwSDK", package: "RwSDK")'
    if layers == 3:
        targets = f"""        .target(name: "GenShelf", dependencies: [{rwsdk}]),
        .target(name: "GenCatalog", dependencies: ["GenShelf"]),
        .target(name: "GenApp", dependencies: ["GenCatalog", "GenShelf", {rwsdk}]),"""
    else:
        targets = f"""        .target(name: "GenApp", dependencies: [{rwsdk}]),"""
    with open(os.path.join(folder, "Package.swift"), "w") as f:
        f.write(f"""// swift-tools-version: 6.0
import PackageDescription

// Generated by bench/benchlib.py: an RwSDK app of {files} source files in {layers} library target(s).
let package = Package(
    name: "gen-app",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "RwSDK", path: "{ROOT}")],
    targets: [
{targets}
        .executableTarget(name: "gen-app", dependencies: ["GenApp", .product(name: "RwServer", package: "RwSDK")]),
    ]
)
""")
    if layers == 3:
        for target in ("GenShelf", "GenCatalog"):
            os.makedirs(os.path.join(folder, "Sources", target))
        set_shelf(folder, "shelf 0")
        for i in range(1, 10):
            with open(os.path.join(folder, "Sources", "GenShelf", f"Shelf{i:02d}.swift"), "w") as f:
                f.write(f"public func shelfItem{i}(_ n: Int) -> String {{ \"shelf item {i}.\\(n)\" }}\n")
            with open(os.path.join(folder, "Sources", "GenCatalog", f"Catalog{i:02d}.swift"), "w") as f:
                f.write(f"import GenShelf\n\npublic func catalogEntry{i}() -> String {{ shelfItem{i}({i}) + \" in catalog\" }}\n")
        with open(os.path.join(folder, "Sources", "GenCatalog", "Catalog.swift"), "w") as f:
            f.write("import GenShelf\n\npublic func catalogTitle() -> String { \"catalog of \" + shelfTitle() }\n")
    with open(os.path.join(folder, "Sources", "gen-app", "main.swift"), "w") as f:
        f.write("import GenApp\nimport RwServer\n\ntry await serve(app)\n")
    def write(name, text):
        with open(os.path.join(library, name), "w") as f:
            f.write(text)
    routes = "\n".join(f'        route("{"/" if i == 1 else f"/page{i}"}") {{ info in Page{i:02d}(info) }}' for i in range(1, pages + 1))
    if globals:
        routes += '\n        route("/globals") { _ in RwResponse(text: "\\(touchGlobals())") }'
        declarations, uses = [], []
        for i in range(globals):
            kind = i % 4
            if kind == 0:
                declarations.append(f"nonisolated(unsafe) var count{i} = {i}")
                uses.append(f"count{i}")
            elif kind == 1:
                declarations.append(f"let cache{i} = GlobalCache()")
                uses.append(f"cache{i}.hits")
            elif kind == 2:
                declarations.append(f"let tally{i} = GlobalTally()")
                uses.append(f"(tally{i} === tally{i} ? 1 : 0)")
            else:
                declarations.append(f"let handler{i}: @Sendable (Int) -> Int = {{ $0 + {i} }}")
                uses.append(f"handler{i}(1)")
        write("Globals.swift", "final class GlobalCache: @unchecked Sendable { var hits = 1 }\n"
              "actor GlobalTally { var n = 0 }\n\n" + "\n".join(declarations)
              + "\n\nfunc touchGlobals() -> Int {\n    var sum = 0\n"
              + "".join(f"    sum += {use}\n" for use in uses) + "    return sum\n}\n")
    write("App.swift", f"""import RwSDK

public let app = defineApp {{
    middleware {{ info in info.ctx["started"] = Visit.now() }}
    render(Document) {{
{routes}
    }}
    saveNote
}}

let saveNote = serverAction("saveNote") {{ input in
    Note(id: 1, title: input["title"] ?? "untitled", tags: ["bench"])
}}
""")
    nav = "\n".join(f'                    li {{ a(.href("{"/" if i == 1 else f"/page{i}"}")) {{ "Page {i}" }} }}' for i in range(1, pages + 1))
    write("Document.swift", f"""import RwSDK

@HTMLBuilder
func Document(_ content: any HTML) -> Fragment {{
    html(.lang("en")) {{
        head {{
            meta(.charset("utf-8"))
            title("Generated app")
            clientRuntimeScript()
        }}
        body {{
            nav {{
                ul {{
{nav}
                }}
            }}
            content
        }}
    }}
}}
""")
    write("Models.swift", """import Foundation

struct Note: Codable, Sendable, Hashable {
    let id: Int
    let title: String
    let tags: [String]
}

enum Visit {
    static func now() -> String { String(Int(Date().timeIntervalSince1970)) }
}

func sampleNotes(_ seed: Int, count: Int = 5) -> [Note] {
    (0..<count).map { Note(id: seed * 100 + $0, title: "Note \\($0) of \\(seed)", tags: $0.isMultiple(of: 2) ? ["even"] : ["odd", "x"]) }
}
""")
    write("Badge.swift", """func Badge(_ n: Int, tone0: String = "tone 0") -> String { "badge \\(tone0) \\(n)" }
""")
    write("Widgets.swift", """import RwSDK

func Card(_ titleText: String, @HTMLBuilder _ content: () -> Fragment) -> Element {
    section(.class("card")) {
        h2 { titleText }
        div(.class("card-body")) { content() }
    }
}

func NoteList(_ notes: [Note]) -> Element {
    ul(.class("notes")) {
        for note in notes {
            li(.id("note-\\(note.id)")) {
                strong { note.title }
                " "
                em { note.tags.joined(separator: ", ") }
            }
        }
    }
}
""")
    for i in range(1, pages + 1):
        heading = "Generated app" if i == 1 else f"Page {i}"
        extra = f'        p {{ Badge({i}) }}\n' if i <= 20 else ""
        if i == 1 and layers == 3:
            extra += '        p { catalogTitle() }\n'
        imports = "import GenCatalog\nimport RwSDK" if i == 1 and layers == 3 else "import RwSDK"
        write(f"Page{i:02d}.swift", f"""{imports}

struct Page{i:02d}Summary {{
    let notes: [Note]
    var total: Int {{ notes.reduce(0) {{ $0 + $1.id }} }}
    var tagCounts: [String: Int] {{
        var counts: [String: Int] = [:]
        for note in notes {{ for tag in note.tags {{ counts[tag, default: 0] += 1 }} }}
        return counts
    }}
}}

func Page{i:02d}(_ info: RequestInfo) -> some HTML {{
    let summary = Page{i:02d}Summary(notes: sampleNotes({i}))
    return main {{
        h1 {{ "{heading}" }}
{extra}        p {{ "Rendered for \\(info.request.path); total \\(summary.total)." }}
        Card("Notes") {{ NoteList(summary.notes) }}
        Card("Tags") {{
            ul {{
                for (tag, count) in summary.tagCounts.sorted(by: {{ $0.key < $1.key }}) {{
                    li {{ "\\(tag): \\(count)" }}
                }}
            }}
        }}
        if summary.total > 1000 {{
            p(.class("big")) {{ "A big page." }}
        }} else {{
            p {{ "A small page." }}
        }}
    }}
}}
""")
    return folder
