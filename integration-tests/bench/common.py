"""Shared pieces of the benchmarks: a moto server on loopback with the quick start's accounts,
and running a command while measuring its wall time and peak RSS."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI_JAR = os.path.join(ROOT, "functions", "promoter-cli", "target", "artifact-promoter.jar")
LAUNCHER = os.path.join(ROOT, "functions", "promoter-cli", "bin", "artifact-promoter")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_accounts():
    """Yields (endpoint, environment for child processes, config path)."""
    port = free_port()
    work = tempfile.mkdtemp(prefix="bench-")
    log = open(os.path.join(work, "moto.log"), "w")
    env = dict(os.environ)
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        config = os.path.join(work, "promotion-config.json")
        ops = subprocess.run([sys.executable, os.path.join(ROOT, "integration-tests", "demo", "local_accounts.py"),
                              endpoint, config], check=True, capture_output=True, text=True).stdout
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        child_env.update(AWS_ENDPOINT_URL=endpoint, AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
                         AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                         PROMOTION_CONFIG=open(config).read())
        # Act as the ops account's promoter role, like the demo (the sourced "export" line).
        for assignment in ops.split()[1:]:
            name, value = assignment.split("=", 1)
            child_env[name] = value
        yield endpoint, child_env, config, work
    finally:
        moto.terminate()
        moto.wait()


def measure(command, env):
    """Runs command; returns (wall seconds, peak RSS MiB, stdout). Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    _, status, usage = os.wait4(process.pid, 0) if process.returncode is None else (0, 0, None)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({process.returncode}): {err.decode()[-2000:]}")
    return wall, out.decode()


def run_with_rss(command, env):
    """Like measure, with the child's peak RSS (MiB) from wait4."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(command[:6])} failed ({code}): {err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, out.decode()


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
