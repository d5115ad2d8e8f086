terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.50, < 7.0"
    }
  }

  # Partial configuration: buildspecs/deploy.yml injects each account's bucket, key, region
  # and locking with -backend-config, so one configuration serves every account.
  backend "s3" {}
}
