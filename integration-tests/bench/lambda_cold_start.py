"""Benchmark: the Lambda's cold start. Each round starts a fresh JVM with the deployment package
(functions/promote-lambda/target/*-lambda.jar) on the class path, constructs the handler as the
Lambda Java runtime does (its no-arg constructor, found by reflection) and sends it one direct
promotion request against moto; next to it, in the same run and alternating, a fresh JVM does the
same with a hello-world RequestStreamHandler compiled by this script.

Usage: python3 integration-tests/bench/lambda_cold_start.py [rounds]   (after `mvn package`)
JVM options are those of the Lambda Java runtime (tiered compilation stopped at C1, serial GC,
the JDK's default class-data archive). Prints per-round times and medians.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

from common import CLI_JAR, ROOT, median, moto_accounts, run_with_rss, timing_the_copy_path

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
LAMBDA_JAR = sorted(glob.glob(os.path.join(ROOT, "functions", "promote-lambda", "target", "*-lambda.jar")))
if not LAMBDA_JAR:
    raise SystemExit("functions/promote-lambda/target/*-lambda.jar not found: run `mvn -q package -DskipTests`")
LAMBDA_JAR = LAMBDA_JAR[0]
JVM_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]

HARNESS = r"""
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/** What the runtime does on a cold start: load the class, no-arg constructor, first event. */
public class ColdStart {
  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(main);
    long t0 = System.nanoTime();
    Object handler = Class.forName(args[0]).getDeclaredConstructor().newInstance();
    long t1 = System.nanoTime();
    Context context = (Context) Proxy.newProxyInstance(ColdStart.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, a) -> switch (method.getName()) {
          case "getRemainingTimeInMillis" -> 900_000;
          case "getAwsRequestId" -> "cold-start-bench";
          case "getFunctionName" -> "promote-function";
          case "getMemoryLimitInMB" -> 1024;
          default -> null;
        });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long t2 = System.nanoTime();
    ((RequestStreamHandler) handler).handleRequest(
        new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)), out, context);
    long t3 = System.nanoTime();
    System.out.println(String.format("{\"toMainMs\": %d, \"constructMs\": %.1f, \"invokeMs\": %.1f, \"output\": %s}",
        main - jvmStart, (t1 - t0) / 1e6, (t3 - t2) / 1e6,
        com.fasterxml.jackson.databind.node.TextNode.valueOf(out.toString(StandardCharsets.UTF_8)).toString()));
  }
}
"""

HELLO = r"""
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

public class HelloHandler implements RequestStreamHandler {
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
    input.readAllBytes();
    output.write("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
  }
}
"""

classes = tempfile.mkdtemp(prefix="lambda-bench-")
for name, source in (("ColdStart", HARNESS), ("HelloHandler", HELLO)):
    with open(os.path.join(classes, name + ".java"), "w") as f:
        f.write(source)
subprocess.run(["javac", "-d", classes, "-cp", LAMBDA_JAR, os.path.join(classes, "ColdStart.java"),
                os.path.join(classes, "HelloHandler.java")], check=True)
# The harness and the hello world go in a directory of their own; the hello world's JVM has the
# same class path as the promoter's, so only the handler differs.
classpath = classes + os.pathsep + LAMBDA_JAR


def cold(handler, event, env):
    wall, peak, out = run_with_rss(["java", *JVM_OPTS, "-cp", classpath, "ColdStart", handler, event], env)
    result = json.loads(out.strip().splitlines()[-1])
    return wall, peak, result


with moto_accounts() as (endpoint, env, config, work):
    env = timing_the_copy_path(env, conditional_writes=True)  # as promote-function deploys it
    package = os.path.join(work, "package.zip")
    with open(package, "wb") as f:
        f.write(os.urandom(256 * 1024))
    revision = "cd" * 20
    for i in range(ROUNDS):
        subprocess.run(["java", "-jar", CLI_JAR, "publish", "--function", f"fn-{i}", "--env", "dev",
                        "--file", package, "--revision", revision, "--message", "bench"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    # The Lambda's own identity: the ops account's promoter role, as in the other benchmarks.
    ours, hello = [], []
    for i in range(ROUNDS):
        event = json.dumps({"function": f"fn-{i}", "from": "dev", "to": "stage"})
        wall, peak, r = cold("org.artifactpromoter.lambda.PromoteHandler", event, env)
        status = json.loads(r["output"]).get("status")
        if status != "PROMOTED":
            raise SystemExit(f"round {i + 1}: the handler answered {r['output']}")
        ours.append((wall, peak, r))
        wall_h, peak_h, h = cold("HelloHandler", "{}", env)
        hello.append((wall_h, peak_h, h))
        print(f"round {i + 1:2d}: promoter  JVM->main {r['toMainMs']:4d} ms  construct {r['constructMs']:6.0f} ms"
              f"  first promotion {r['invokeMs']:6.0f} ms  process {wall * 1000:6.0f} ms  RSS {peak:5.1f} MiB")
        print(f"          hello     JVM->main {h['toMainMs']:4d} ms  construct {h['constructMs']:6.1f} ms"
              f"  first invoke    {h['invokeMs']:6.1f} ms  process {wall_h * 1000:6.0f} ms  RSS {peak_h:5.1f} MiB")

    def med(rows, field):
        return median([row[2][field] for row in rows])

    init_ours = med(ours, "toMainMs") + med(ours, "constructMs")
    init_hello = med(hello, "toMainMs") + med(hello, "constructMs")
    print(f"\nmedians of {ROUNDS}: promoter construct {med(ours, 'constructMs'):.0f} ms, first promotion"
          f" {med(ours, 'invokeMs'):.0f} ms, process {median([r[0] for r in ours]) * 1000:.0f} ms;"
          f" hello construct {med(hello, 'constructMs'):.1f} ms, first invoke {med(hello, 'invokeMs'):.1f} ms,"
          f" process {median([r[0] for r in hello]) * 1000:.0f} ms")
    print(f"init (JVM start to constructed handler): promoter {init_ours:.0f} ms, hello {init_hello:.0f} ms;"
          f" construct + first promotion {med(ours, 'constructMs') + med(ours, 'invokeMs'):.0f} ms")
