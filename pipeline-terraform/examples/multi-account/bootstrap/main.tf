provider "aws" {
  alias  = "ops"
  region = var.region

  assume_role {
    role_arn     = "arn:aws:iam::${var.ops_account_id}:role/${var.deploy_role_name}"
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

# Versioned, KMS-encrypted bucket for the promote function's package. No promotion
# writes here; the deploy role (which creates the function: Lambda reads the package
# with the caller's permissions) and the uploaders use the key.
module "packages_ops" {
  source    = "../../../modules/artifact-bucket"
  providers = { aws = aws.ops }

  environment = "ops"
  name_prefix = var.name_prefix
  key_user_arns = concat(
    ["arn:aws:iam::${var.ops_account_id}:role/${var.deploy_role_name}"],
    var.package_uploader_role_arns,
  )
}
