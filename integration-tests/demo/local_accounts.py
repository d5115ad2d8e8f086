"""Creates the four local accounts of the quick start on a running moto server.

ops 111111111111 (the caller, through a role session), dev 222222222222, stage 333333333333, prod 444444444444:
a versioned artifact bucket and a KMS key in each of dev/stage/prod, and the promotion
configuration that names them, written to the path given as the second argument.
"""
import json
import sys

import boto3

ENDPOINT, CONFIG_PATH = sys.argv[1], sys.argv[2]
ACCOUNTS = {"dev": "222222222222", "stage": "333333333333", "prod": "444444444444"}
REGION = "us-east-1"


def client(service, credentials=None):
    kwargs = dict(endpoint_url=ENDPOINT, region_name=REGION,
                  aws_access_key_id="testing", aws_secret_access_key="testing")
    if credentials:
        kwargs.update(aws_access_key_id=credentials["AccessKeyId"],
                      aws_secret_access_key=credentials["SecretAccessKey"],
                      aws_session_token=credentials["SessionToken"])
    return boto3.client(service, **kwargs)


environments = {}
for env, account in ACCOUNTS.items():
    admin = client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/admin", RoleSessionName="quick-start")["Credentials"]
    bucket = f"acme-{env}-artifacts"
    s3 = client("s3", admin)
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    key_arn = client("kms", admin).create_key(Description=f"{env} artifacts")["KeyMetadata"]["Arn"]
    environments[env] = {
        "account": account, "region": REGION, "bucket": bucket,
        "role": f"arn:aws:iam::{account}:role/artifact-promotion-{env}",
        "externalId": f"ext-{env}-quick-start", "kmsKeyArn": key_arn,
    }

with open(CONFIG_PATH, "w") as out:
    json.dump({"environments": environments,
               "promotions": {"dev": ["stage"], "stage": ["prod"]}}, out, indent=2)
ops = client("sts").assume_role(
    RoleArn="arn:aws:iam::111111111111:role/artifact-promoter", RoleSessionName="quick-start")["Credentials"]
print(f"accounts ready; configuration in {CONFIG_PATH}", file=sys.stderr)
# Shell lines that make the caller the ops account's promoter role (sourced by run-demo).
print(f"export AWS_ACCESS_KEY_ID={ops['AccessKeyId']} AWS_SECRET_ACCESS_KEY={ops['SecretAccessKey']}"
      f" AWS_SESSION_TOKEN={ops['SessionToken']}")
