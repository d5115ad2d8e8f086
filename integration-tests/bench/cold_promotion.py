"""Benchmark: one promotion in a fresh JVM (the CLI) against the AWS CLI doing the same work
(`aws sts assume-role`, then `aws s3api copy-object` with replaced metadata and tags), side by
side in one run on the same moto server, alternating so both see the same machine load.

Usage: python3 integration-tests/bench/cold_promotion.py [rounds]   (after `mvn package`)
Prints per-round times, medians, the ratio ours/AWS CLI, and our peak RSS.
"""
import json
import os
import shutil
import subprocess
import sys

from common import CLI_JAR, LAUNCHER, median, moto_accounts, run_with_rss

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
AWS = shutil.which("aws")
if not AWS:
    raise SystemExit("the AWS CLI (aws) is needed as the baseline; install it first")

with moto_accounts() as (endpoint, env, config, work):
    package = os.path.join(work, "package.zip")
    with open(package, "wb") as f:
        f.write(os.urandom(256 * 1024))
    revision = "ab" * 20
    # One published function per round, so every promotion of ours does the full work.
    for i in range(ROUNDS + 1):
        subprocess.run(["java", "-jar", CLI_JAR, "publish", "--function", f"fn-{i}", "--env", "dev",
                        "--file", package, "--revision", revision, "--message", "bench"],
                       env=env, check=True, stdout=subprocess.DEVNULL)
    # Warm the launcher's class-data archive once (first run records it), as any user's second run.
    run_with_rss([LAUNCHER, "promote", "--function", f"fn-{ROUNDS}", "--from", "dev", "--to", "stage"], env)

    stage_role = json.load(open(config))["environments"]["stage"]["role"]
    ours, theirs, rss = [], [], []
    for i in range(ROUNDS):
        wall, peak, _ = run_with_rss([LAUNCHER, "promote", "--function", f"fn-{i}", "--from", "dev",
                                      "--to", "stage", "--json"], env)
        ours.append(wall)
        rss.append(peak)

        start_env = dict(env)
        t1, _, creds = run_with_rss([AWS, "sts", "assume-role", "--role-arn", stage_role,
                                     "--role-session-name", f"bench-{i}", "--external-id", "ext-stage-quick-start",
                                     "--duration-seconds", "900", "--endpoint-url", endpoint, "--output", "json"],
                                    start_env)
        c = json.loads(creds)["Credentials"]
        copy_env = dict(env, AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                        AWS_SESSION_TOKEN=c["SessionToken"])
        t2, _, _ = run_with_rss([AWS, "s3api", "copy-object", "--endpoint-url", endpoint,
                                 "--copy-source", f"acme-dev-artifacts/releases/fn-{i}/{revision}.zip",
                                 "--bucket", "acme-stage-artifacts", "--key", f"drop/fn-{i}.zip",
                                 "--metadata-directive", "REPLACE",
                                 "--metadata", f"git-revision={revision},sha256=x,source-env=dev",
                                 "--tagging-directive", "REPLACE",
                                 "--tagging", f"git-revision={revision}&promoted-from=dev",
                                 "--output", "json"], copy_env)
        theirs.append(t1 + t2)
        print(f"round {i + 1:2d}: artifact-promoter {wall * 1000:7.0f} ms (peak RSS {peak:5.1f} MiB)"
              f"   aws cli {(t1 + t2) * 1000:7.0f} ms ({t1 * 1000:.0f} + {t2 * 1000:.0f})")

    ratio = median(ours) / median(theirs)
    print(f"\nmedian artifact-promoter {median(ours) * 1000:.0f} ms, aws cli {median(theirs) * 1000:.0f} ms,"
          f" ratio {ratio:.2f} (target <= 0.50); peak RSS max {max(rss):.1f} MiB (target <= 200)")
