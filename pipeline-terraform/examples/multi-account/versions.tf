terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.46, < 6.0"
    }
  }

  # Partial on purpose: bucket, key, region and locking come from
  # terraform init -backend-config=backend.hcl (see README).
  backend "s3" {}
}
