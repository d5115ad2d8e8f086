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
  base/promote-first  only with BASELINE_JAR=<jar built from an earlier commit> (e.g. the commit
                   before issues 10, 11, 13 and 14): that jar with its own launcher
                   (BASELINE_LAUNCHER_REV) and the configuration fields it knows, a promotion first
  aws-cli          assume-role + copy-object
Prints per-round times, medians, the ratios against the AWS CLI, and our peak RSS.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from common import CLI_JAR, LAUNCHER, ROOT, median, moto_accounts, run_with_rss

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
}

BASELINE_JAR = os.environ.get("BASELINE_JAR")
if BASELINE_JAR:
    directory = os.path.join(installs, "base-promote-first")
    os.makedirs(directory)
    shutil.copy2(BASELINE_JAR, os.path.join(directory, "artifact-promoter.jar"))
    VARIANTS["base/promote-first"] = (old_launcher, os.path.join(directory, "artifact-promoter.jar"), {})

with moto_accounts() as (endpoint, env, config, work):
    # The benchmark times the copy path: no approval is required into stage (the approval check is
    # the pipeline's, timed nowhere here), as a configuration with requireApproval false has it.
    document = json.loads(env["PROMOTION_CONFIG"])
    for environment in document["environments"].values():
        environment["requireApproval"] = False
    env["PROMOTION_CONFIG"] = json.dumps(document)
    if BASELINE_JAR:
        # The earlier jar refuses fields it does not know: give it the document it understands.
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
    functions = [f"fn-{v.replace('/', '-')}-{i}" for v in list(VARIANTS) + ["setup"] for i in range(ROUNDS + 1)]
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
    for variant in ("new/help-first", "old/help-first"):
        run(variant, "promote", "--help")
        assert run(variant, "promote", "--function", "never-published", "--from", "dev", "--to", "stage",
                   check=False) == 3
        run(variant, "status", "--function", "fn-setup-0")
    run("new/warm-up", "warm-up")
    for n, variant in enumerate(v for v in VARIANTS if v != "new/warm-up"):
        promote(variant, f"fn-setup-{n + 1}")
    for variant in VARIANTS:
        directory = os.path.dirname(VARIANTS[variant][1])
        print(f"{variant:18s} archives: {sorted(f for f in os.listdir(directory) if f.endswith(('.jsa', '.aot')))}")

    stage_role = json.load(open(config))["environments"]["stage"]["role"]
    times = {v: [] for v in list(VARIANTS) + ["aws-cli"]}
    rss = {v: [] for v in VARIANTS}
    for i in range(ROUNDS):
        line = []
        for variant in VARIANTS:
            wall, peak, _ = promote(variant, f"fn-{variant.replace('/', '-')}-{i}")
            times[variant].append(wall)
            rss[variant].append(peak)
            line.append(f"{variant} {wall * 1000:5.0f}")
        t1, _, creds = run_with_rss([AWS, "sts", "assume-role", "--role-arn", stage_role,
                                     "--role-session-name", f"bench-{i}", "--external-id", json.load(open(config))["environments"]["stage"]["externalId"],
                                     "--duration-seconds", "900", "--endpoint-url", endpoint, "--output", "json"],
                                    env)
        c = json.loads(creds)["Credentials"]
        copy_env = dict(env, AWS_ACCESS_KEY_ID=c["AccessKeyId"], AWS_SECRET_ACCESS_KEY=c["SecretAccessKey"],
                        AWS_SESSION_TOKEN=c["SessionToken"])
        t2, _, _ = run_with_rss([AWS, "s3api", "copy-object", "--endpoint-url", endpoint,
                                 "--copy-source", f"acme-dev-artifacts/releases/fn-setup-0/{revision}.zip",
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
