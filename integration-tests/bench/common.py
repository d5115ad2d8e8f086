"""Shared pieces of the benchmarks: a moto server on loopback with the quick start's accounts,
and running a command while measuring its wall time and peak RSS."""
import contextlib
import json
import os
import shlex
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI_JAR = os.path.join(ROOT, "functions", "promoter-cli", "target", "artifact-promoter.jar")
LAUNCHER = os.path.join(ROOT, "functions", "promoter-cli", "bin", "artifact-promoter")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_accounts():
    """Yields (endpoint, environment for child processes, config path, work directory).

    The accounts are the quick start's, made by the integration tests' own fixtures
    (org.artifactpromoter.it.support.LocalAws, on the test classpath that `mvn package` writes):
    moto with ops, dev, stage and prod, the caller acting as the ops account's promoter role.
    """
    classpath_file = os.path.join(ROOT, "integration-tests", "target", "test-classpath.txt")
    if not os.path.exists(classpath_file):
        raise SystemExit(f"no {classpath_file}: run `mvn -q package -DskipTests` first")
    with open(classpath_file) as f:
        classpath = os.path.join(ROOT, "integration-tests", "target", "test-classes") + os.pathsep + f.read().strip()
    work = tempfile.mkdtemp(prefix="bench-")
    aws_dir = os.path.join(work, "aws")
    log = open(os.path.join(work, "local-aws.log"), "w")
    # Its standard input is our pipe: closing it (or our exit) stops moto.
    local_aws = subprocess.Popen(["java", "-cp", classpath, "org.artifactpromoter.it.support.LocalAws", aws_dir],
                                 stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    try:
        env_file = os.path.join(aws_dir, "aws.env")
        while not os.path.exists(env_file):
            if local_aws.poll() is not None:
                raise SystemExit(f"LocalAws exited with {local_aws.returncode}: "
                                 + open(os.path.join(work, "local-aws.log")).read()[-2000:])
            time.sleep(0.2)
        config = os.path.join(aws_dir, "promotion-config.json")
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        # "export NAME='value'" lines: the endpoints and the ops role session's keys.
        for line in open(env_file):
            name, value = shlex.split(line)[1].split("=", 1)
            child_env[name] = value
        child_env["PROMOTION_CONFIG"] = open(config).read()
        yield child_env["AWS_ENDPOINT_URL"], child_env, config, work
    finally:
        local_aws.stdin.close()
        try:
            local_aws.wait(timeout=30)
        except subprocess.TimeoutExpired:
            local_aws.kill()
            local_aws.wait()


def timing_the_copy_path(env, conditional_writes=None):
    """env with PROMOTION_CONFIG edited for a benchmark of the copy path: no environment requires
    approval (a direct invocation, or a CLI promotion without --break-glass, into one that does is
    refused by design; the approval check is the pipeline's, timed nowhere here); with
    conditional_writes set, every environment's conditionalWrites is that."""
    document = json.loads(env["PROMOTION_CONFIG"])
    for environment in document["environments"].values():
        environment["requireApproval"] = False
        if conditional_writes is not None:
            environment["conditionalWrites"] = conditional_writes
    return dict(env, PROMOTION_CONFIG=json.dumps(document))


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
