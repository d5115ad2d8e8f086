"""Benchmark: the Lambda handler's cold start with and without SnapStart priming (issue 13).
Each round starts two fresh JVMs with the deployment package (functions/promote-lambda/target/
*-lambda.jar) on the class path, alternating: both construct the handler as the Lambda Java runtime
does (no-arg constructor by reflection, PROMOTION_CONFIG from the environment) and send it one
direct promotion against moto; the primed one first calls the handler's CRaC hooks as the JVM
would around a snapshot (beforeCheckpoint, then afterRestore). No CRaC JVM is used: the snapshot
and its restore are not measured, only what the hooks buy the first promotion, and what they cost.

Usage: python3 integration-tests/bench/lambda_priming.py [rounds]   (after `mvn package`)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

from common import CLI_JAR, ROOT, median, moto_accounts, run_with_rss, timing_the_copy_path

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
JARS = sorted(glob.glob(os.path.join(ROOT, "functions", "promote-lambda", "target", "*-lambda.jar")))
if not JARS:
    raise SystemExit("functions/promote-lambda/target/*-lambda.jar not found: run `mvn -q package -DskipTests`")
LAMBDA_JAR = JARS[0]
# The Lambda Java runtime's options: C1 only, serial GC, the JDK's class-data archive.
JVM_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]

HARNESS = r"""
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

public class PrimedStart {
  public static void main(String[] args) throws Exception {
    boolean primed = args[1].equals("primed");
    long t0 = System.nanoTime();
    Object handler = Class.forName("org.artifactpromoter.lambda.PromoteHandler")
        .getDeclaredConstructor().newInstance();
    long t1 = System.nanoTime();
    if (primed) {
      ((org.crac.Resource) handler).beforeCheckpoint(null);
    }
    long t2 = System.nanoTime();
    if (primed) {
      ((org.crac.Resource) handler).afterRestore(null);
    }
    long t3 = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ((RequestStreamHandler) handler).handleRequest(
        new ByteArrayInputStream(args[0].getBytes(StandardCharsets.UTF_8)), out, null);
    long t4 = System.nanoTime();
    System.out.println(String.format(
        "{\"constructMs\": %.1f, \"primeMs\": %.1f, \"restoreMs\": %.1f, \"invokeMs\": %.1f, \"output\": %s}",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6,
        com.fasterxml.jackson.databind.node.TextNode.valueOf(out.toString(StandardCharsets.UTF_8))));
  }
}
"""

classes = tempfile.mkdtemp(prefix="lambda-priming-")
with open(os.path.join(classes, "PrimedStart.java"), "w") as f:
    f.write(HARNESS)
subprocess.run(["javac", "-d", classes, "-cp", LAMBDA_JAR, os.path.join(classes, "PrimedStart.java")], check=True)
classpath = classes + os.pathsep + LAMBDA_JAR


def start(event, mode, env):
    wall, peak, out = run_with_rss(["java", *JVM_OPTS, "-cp", classpath, "PrimedStart", event, mode], env)
    result = json.loads(out.strip().splitlines()[-1])
    status = json.loads(result["output"]).get("status")
    if status != "PROMOTED":
        raise SystemExit(f"{mode}: the handler answered {result['output']}")
    return wall, result


with moto_accounts() as (endpoint, env, config, work):
    env = timing_the_copy_path(env, conditional_writes=True)  # as promote-function deploys it
    package = os.path.join(work, "package.zip")
    with open(package, "wb") as f:
        f.write(os.urandom(256 * 1024))
    for i in range(2 * ROUNDS):
        subprocess.run(["java", "-jar", CLI_JAR, "publish", "--function", f"fn-{i}", "--env", "dev",
                        "--file", package, "--revision", "cd" * 20, "--message", "bench"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    rows = {"plain": [], "primed": []}
    for i in range(ROUNDS):
        for j, mode in enumerate(("plain", "primed") if i % 2 == 0 else ("primed", "plain")):
            event = json.dumps({"function": f"fn-{2 * i + j}", "from": "dev", "to": "stage"})
            wall, r = start(event, mode, env)
            rows[mode].append((wall, r))
            print(f"round {i + 1:2d} {mode:6s}: construct {r['constructMs']:6.0f} ms  prime {r['primeMs']:6.0f} ms"
                  f"  afterRestore {r['restoreMs']:5.1f} ms  first promotion {r['invokeMs']:6.0f} ms"
                  f"  process {wall * 1000:6.0f} ms")

    def med(mode, field):
        return median([r[field] for _, r in rows[mode]])

    print(f"\nmedians of {ROUNDS}:")
    for mode in ("plain", "primed"):
        print(f"  {mode:6s}: construct {med(mode, 'constructMs'):.0f} ms, prime {med(mode, 'primeMs'):.0f} ms,"
              f" afterRestore {med(mode, 'restoreMs'):.1f} ms, first promotion {med(mode, 'invokeMs'):.0f} ms,"
              f" process {median([w for w, _ in rows[mode]]) * 1000:.0f} ms")
    print(f"  construct + first promotion, no priming: {med('plain', 'constructMs') + med('plain', 'invokeMs'):.0f} ms;"
          f" after a primed snapshot (afterRestore + first promotion): "
          f"{med('primed', 'restoreMs') + med('primed', 'invokeMs'):.0f} ms")
