provider "aws" {
  alias  = "ops"
  region = var.region

  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.ops_account_id}:role/${var.deploy_role_name}"
    session_name = "artifact-promoter-bootstrap"
  }

  default_tags {
    tags = var.tags
  }
}

# State of the multi-account example itself (and of anything else run from ops).
module "state_ops" {
  source    = "../../../modules/terraform-state"
  providers = { aws = aws.ops }

  environment = "ops"
  name_prefix = var.name_prefix
}

# Versioned, KMS-encrypted bucket for this repository's releases: the promote function's
# package, and under releases/artifact-promoter/<version>/ the buildspec tools and the CLI that
# every pipeline's build and deploy fetch. No promotion writes here; the deploy role (which
# creates the function: Lambda reads the package with the caller's permissions) and the
# uploaders use the key; the pipeline roles of the environment accounts read releases/*.
module "packages_ops" {
  source    = "../../../modules/artifact-bucket"
  providers = { aws = aws.ops }

  environment = "ops"
  name_prefix = var.name_prefix
  key_user_arns = concat(
    ["arn:${var.partition}:iam::${var.ops_account_id}:role/${var.deploy_role_name}"],
    var.package_uploader_role_arns,
  )
  # function-pipeline's roles (role_path /artifact-pipelines/) in every account with a pipeline.
  reader_role_arns = [for account in var.pipeline_account_ids : "arn:${var.partition}:iam::${account}:role/artifact-pipelines/*"]
}
