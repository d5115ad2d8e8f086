"""Benchmark: one promotion in a fresh JVM (the CLI) against the AWS CLI doing the same work
(`aws sts assume-role`, then `aws s3api copy-object` with replaced metadata and tags), side by
side in one run on the same moto server, alternating so every variant sees the same machine load.

Usage: python3 integration-tests/bench/cold_promotion.py [rounds]   (after `mvn package`)

Variants, each with its own copy of the jar (so each has its own start-up archive):
  new/help-first   bin/artifact-promoter; before the rounds, `promote --help`, a failed promotion
                   and a `status` ran first, then one promotion (which records the archive)
  new/promote-first  bin/artifact-promoter; a promotion ran first
  new/warm-up      bin/artifact-promoter; `artifact-promoter warm-up` ran first (the build step)
  old/help-first   the launcher before the start-up archive work (git BASELINE_LAUNCHER_REV),
                   whose first run was `promote --help`: the archive the issue calls poisoned
  old/promote-first  that launcher, with a promotion first
  no-archive       ARTIFACT_PROMOTER_ARCHIVE=off
  new/no-preload   bin/artifact-promoter with ARTIFACT_PROMOTER_PRELOAD=off (no SDK set-up overlapped
                   with parsing), a promotion first
  new/jdk25        bin/artifact-promoter on Java 25 (its AOT cache), when JDK25_JAVA names a java or
                   /usr/lib/jvm/temurin-25* has one; a promotion first
  base/promote-first  only with BASELINE_JAR=<jar built from an earlier commit> (e.g. the commit
                   before issues 10, 11, 13 and 14): that jar with its own launcher
                   (BASELINE_LAUNCHER_REV) and the configuration fields it knows (BASELINE_CONFIG=current
                   gives it this run's configuration: for a jar that knows every field), a promotion first
  jvm-floor        bench/floor/JvmFloor.java: AssumeRole + one CopyObject with the same SDK, HTTP client,
                   JVM options and a class-data archive of its own, no checks: the least any fresh-JVM
                   promotion can take here (not a product)
  aws-cli          assume-role + copy-object
BENCH_VARIANTS=new/promote-first,new/jdk25 (say) runs only those (with jvm-floor and aws-cli).
The promoter's configuration is the deployed default (conditionalWrites true: S3 settles the release
race, so no listing follows the release write; moto ignores the condition, and no race happens here).
Prints per-round times, medians, the ratios against the AWS CLI, our peak RSS, and the calls one
promotion makes (through a counting proxy).
"""
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import zipfile

from common import CLI_JAR, LAUNCHER, ROOT, median, moto_accounts, run_with_rss, timing_the_copy_path

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
BASELINE = os.environ.get("BASELINE_LAUNCHER_REV", "e144493")
AWS = shutil.which("aws")
if not AWS:
    raise SystemExit("the AWS CLI (aws) is needed as the baseline; install it first")

installs = tempfile.mkdtemp(prefix="cold-bench-")
old_launcher = os.path.join(installs, "old-artifact-promoter")
with open(old_launcher, "w") as f:
    f.write(subprocess.run(["git", "-C", ROOT, "show", f"{BASELINE}:functions/promoter-cli/bin/artifact-promoter"],
                           check=True, capture_output=True, text=True).stdout)
os.chmod(old_launcher, 0o755)


class CountingProxy:
    """Forwards loopback TCP to the emulator and records each request's operation (one per request)."""

    def __init__(self, upstream, calls):
        host, port = upstream.split("//", 1)[1].split(":")
        self.upstream = (host, int(port))
        self.calls = calls
        self.server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self.pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self.pipe, args=(upstream, client, False), daemon=True).start()

    def pipe(self, source, sink, requests):
        unnamed = None  # a query-protocol POST whose body (the Action) comes in the next segment
        try:
            while data := source.recv(65536):
                if requests and data[:8].split(b" ")[0] in (b"GET", b"PUT", b"HEAD", b"POST", b"DELETE"):
                    self.calls.append(operation(data))
                    unnamed = len(self.calls) - 1 if self.calls[-1] == "POST" else None
                elif requests and unnamed is not None:
                    self.calls[unnamed] = operation(b"POST / HTTP/1.1\r\n\r\n" + data)
                    unnamed = None
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def close(self):
        self.server.close()


def operation(request):
    """The API operation of a raw HTTP request to the emulator (path-style S3, query STS, JSON KMS/Events)."""
    head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    line, *header_lines = head.split("\r\n")
    method, target, _ = line.split(" ", 2)
    headers = {h.split(":", 1)[0].lower(): h.split(":", 1)[1].strip() for h in header_lines if ":" in h}
    if "x-amz-target" in headers:
        return headers["x-amz-target"].split(".")[-1]
    if method == "POST" and target == "/":
        body = request.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in request else b""
        action = [p for p in body.decode("latin-1").split("&") if p.startswith("Action=")]
        return action[0][7:] if action else "POST"
    query = target.split("?", 1)[1] if "?" in target else ""
    if method == "GET" and query.startswith("versions"):
        return "ListObjectVersions"
    if method == "PUT" and "x-amz-copy-source" in headers:
        return "CopyObject"
    return {"HEAD": "HeadObject", "GET": "GetObject", "PUT": "PutObject", "DELETE": "DeleteObject"}[method]


def install(name):
    directory = os.path.join(installs, name)
    os.makedirs(directory)
    jar = os.path.join(directory, "artifact-promoter.jar")
    shutil.copy2(CLI_JAR, jar)
    return jar


VARIANTS = {
    "new/help-first": (LAUNCHER, install("new-help-first"), {}),
    "new/promote-first": (LAUNCHER, install("new-promote-first"), {}),
    "new/warm-up": (LAUNCHER, install("new-warm-up"), {}),
    "old/help-first": (old_launcher, install("old-help-first"), {}),
    "old/promote-first": (old_launcher, install("old-promote-first"), {}),
    "no-archive": (LAUNCHER, install("no-archive"), {"ARTIFACT_PROMOTER_ARCHIVE": "off"}),
    "new/no-preload": (LAUNCHER, install("new-no-preload"), {"ARTIFACT_PROMOTER_PRELOAD": "off"}),
}
JDK25 = os.environ.get("JDK25_JAVA") or next(iter(sorted(glob.glob("/usr/lib/jvm/temurin-25*/bin/java"))), None)
if JDK25:
    VARIANTS["new/jdk25"] = (LAUNCHER, install("new-jdk25"), {"JAVA": JDK25})

# The JVM floor: compiled against the CLI jar's SDK, packed in a jar of its own (a class-data archive
# needs jars on the class path), with the launcher's JVM options.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData"]
floor_dir = os.path.join(installs, "jvm-floor")
os.makedirs(floor_dir)
subprocess.run(["javac", "-d", floor_dir, "-cp", CLI_JAR,
                os.path.join(os.path.dirname(os.path.abspath(__file__)), "floor", "JvmFloor.java")], check=True)
floor_jar = os.path.join(floor_dir, "jvm-floor.jar")
with zipfile.ZipFile(floor_jar, "w") as z:
    z.write(os.path.join(floor_dir, "JvmFloor.class"), "JvmFloor.class")
floor_classpath = CLI_JAR + os.pathsep + floor_jar
floor_archive = os.path.join(floor_dir, "jvm-floor.jsa")

BASELINE_JAR = os.environ.get("BASELINE_JAR")
if BASELINE_JAR:
    directory = os.path.join(installs, "base-promote-first")
    os.makedirs(directory)
    shutil.copy2(BASELINE_JAR, os.path.join(directory, "artifact-promoter.jar"))
    VARIANTS["base/promote-first"] = (old_launcher, os.path.join(directory, "artifact-promoter.jar"), {})

# BENCH_VARIANTS=a,b,...: only these (plus jvm-floor and aws-cli), for a shorter round that a load
# spike on a shared machine hits less unevenly.
only = [v for v in os.environ.get("BENCH_VARIANTS", "").split(",") if v]
if only:
    unknown = set(only) - set(VARIANTS)
    if unknown:
        raise SystemExit(f"BENCH_VARIANTS names {sorted(unknown)}; known: {sorted(VARIANTS)}")
    VARIANTS = {name: VARIANTS[name] for name in only}

with moto_accounts() as (endpoint, env, config, work):
    # As promote-function renders it by default (conditionalWrites true; the quick start sets false
    # for moto's sake), and without approval: see timing_the_copy_path.
    env = timing_the_copy_path(env, conditional_writes=True)
    if "base/promote-first" in VARIANTS and os.environ.get("BASELINE_CONFIG", "minimal") == "minimal":
        # A jar from before issue 11 refuses fields it does not know: give it the document it
        # understands (BASELINE_CONFIG=current for a later jar, which gets this run's document).
        old = json.loads(env["PROMOTION_CONFIG"])
        for key in [k for k in old if k not in ("environments", "promotions", "copy")]:
            del old[key]
        for environment in old["environments"].values():
            for key in [k for k in environment if k not in ("account", "region", "bucket", "role", "externalId", "kmsKeyArn")]:
                del environment[key]
        VARIANTS["base/promote-first"][2]["PROMOTION_CONFIG"] = json.dumps(old)
    package = os.path.join(work, "package.zip")
    with open(package, "wb") as f:
        f.write(os.urandom(256 * 1024))
    revision = "ab" * 20
    functions = ([f"fn-{v.replace('/', '-')}-{i}" for v in VARIANTS for i in range(ROUNDS + 1)]
                 + [f"fn-setup-{i}" for i in range(len(VARIANTS) + 1)])
    for function in functions:
        subprocess.run(["java", "-jar", CLI_JAR, "publish", "--function", function, "--env", "dev",
                        "--file", package, "--revision", revision, "--message", "bench"],
                       env=env, check=True, stdout=subprocess.DEVNULL)

    def run(variant, *args, check=True):
        launcher, jar, extra = VARIANTS[variant]
        child = dict(env, ARTIFACT_PROMOTER_JAR=jar)
        child.update(extra)
        if check:
            return run_with_rss([launcher, *args], child)
        return subprocess.run([launcher, *args], env=child, capture_output=True).returncode

    def promote(variant, function):
        return run(variant, "promote", "--function", function, "--from", "dev", "--to", "stage", "--json")

    # What each variant's user ran first.
    for variant in [v for v in ("new/help-first", "old/help-first") if v in VARIANTS]:
        run(variant, "promote", "--help")
        assert run(variant, "promote", "--function", "never-published", "--from", "dev", "--to", "stage",
                   check=False) == 3
        run(variant, "status", "--function", "fn-setup-0")
    if "new/warm-up" in VARIANTS:
        run("new/warm-up", "warm-up")
    for n, variant in enumerate(v for v in VARIANTS if v != "new/warm-up"):
        promote(variant, f"fn-setup-{n + 1}")
    for variant in VARIANTS:
        directory = os.path.dirname(VARIANTS[variant][1])
        print(f"{variant:18s} archives: {sorted(f for f in os.listdir(directory) if f.endswith(('.jsa', '.aot')))}")

    stage = json.load(open(config))["environments"]["stage"]
    stage_role = stage["role"]
    source_key = f"releases/fn-setup-0/{revision}.zip"

    def floor(key, *record):
        return run_with_rss(["java", *JVM_OPTIONS, *record, "-cp", floor_classpath, "JvmFloor", stage_role,
                             stage["externalId"], "acme-dev-artifacts", source_key, "acme-stage-artifacts", key,
                             revision], env)

    floor("drop/jvm-floor-setup.zip", f"-XX:ArchiveClassesAtExit={floor_archive}")
    times = {v: [] for v in list(VARIANTS) + ["jvm-floor", "aws-cli"]}
    rss = {v: [] for v in list(VARIANTS) + ["jvm-floor"]}
    for i in range(ROUNDS):
        line = []
        for variant in VARIANTS:
            wall, peak, _ = promote(variant, f"fn-{variant.replace('/', '-')}-{i}")
            times[variant].append(wall)
            rss[variant].append(peak)
            line.append(f"{variant} {wall * 1000:5.0f}")
        wall, peak, _ = floor(f"drop/jvm-floor-{i}.zip", f"-XX:SharedArchiveFile={floor_archive}")
        times["jvm-floor"].append(wall)
        rss["jvm-floor"].append(peak)
        line.append(f"jvm-floor {wall * 1000:5.0f}")
        t1, _, creds = run_with_rss([AWS, "sts", "assume-role", "--role-arn", stage_role,
                                     "--role-session-name", f"bench-{i}", "--external-id", json.load(open(config))["environments"]["stage"]["externalId"],
                                     "--duration-seconds", "900", "--endpoint-url", endpoint, "--output", "json"],
                                    env)
        c = json.loads(creds)["Credentials"]
        copy_env = dict(env, AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                        AWS_SESSION_TOKEN=c["SessionToken"])
        t2, _, _ = run_with_rss([AWS, "s3api", "copy-object", "--endpoint-url", endpoint,
                                 "--copy-source", f"acme-dev-artifacts/{source_key}",
                                 "--bucket", "acme-stage-artifacts", "--key", f"drop/aws-cli-{i}.zip",
                                 "--metadata-directive", "REPLACE",
                                 "--metadata", f"git-revision={revision},sha256=x,source-env=dev",
                                 "--tagging-directive", "REPLACE",
                                 "--tagging", f"git-revision={revision}&promoted-from=dev",
                                 "--output", "json"], copy_env)
        times["aws-cli"].append(t1 + t2)
        print(f"round {i + 1:2d}: " + "  ".join(line) + f"  aws-cli {(t1 + t2) * 1000:5.0f} ms")

    aws = median(times["aws-cli"])
    print(f"\nmedians of {ROUNDS} alternated rounds (ratio = variant / aws-cli, target <= 0.50):")
    for variant in times:
        peak = f", peak RSS max {max(rss[variant]):5.1f} MiB" if variant in rss else ""
        print(f"  {variant:18s} {median(times[variant]) * 1000:6.0f} ms  ratio {median(times[variant]) / aws:4.2f}{peak}")

    # The calls one promotion makes, in order, through a proxy that names each request's operation.
    def count_calls(variant, function):
        calls = []
        proxy = CountingProxy(endpoint, calls)
        launcher, jar, extra = VARIANTS[variant]
        child = dict(env, ARTIFACT_PROMOTER_JAR=jar, AWS_ENDPOINT_URL=proxy.endpoint)
        child.update(extra)
        run_with_rss([launcher, "promote", "--function", function, "--from", "dev", "--to", "stage", "--json"], child)
        proxy.close()
        return calls

    print("\ncalls per promotion (dev -> stage, a release the destination does not hold yet):")
    for variant in [v for v in ("new/promote-first", "base/promote-first") if v in VARIANTS]:
        calls = count_calls(variant, f"fn-{variant.replace('/', '-')}-{ROUNDS}")
        print(f"  {variant:18s} {len(calls):2d}: {', '.join(calls)}")
