data "aws_partition" "current" {
  provider = aws.ops
}

locals {
  partition = data.aws_partition.current.partition
  accounts = {
    dev   = var.dev_account_id
    stage = var.stage_account_id
    prod  = var.prod_account_id
  }

  # Role ARNs are composed from the names and paths the modules give them, so buckets, keys
  # and the promoter can refer to roles that are created later in the same apply.
  promotion_role_arns = {
    for env, account in local.accounts : env => "arn:${local.partition}:iam::${account}:role/artifact-promotion-${env}"
  }
  # Every role function-pipeline creates (build, deploy, events, pipeline): they use the
  # artifact key.
  pipeline_module_role_pattern = {
    for env, account in local.accounts : env => "arn:${local.partition}:iam::${account}:role/artifact-pipelines/*"
  }
  # Pipeline service roles only (function-pipeline output pipeline_role_arn_pattern): they
  # alone may assume the promote function's invoke role of their environment.
  pipeline_role_pattern = {
    for env, account in local.accounts : env => "arn:${local.partition}:iam::${account}:role/artifact-pipelines/codepipeline/*"
  }

  # One release of this repository in the ops package bucket: the buildspecs' scripts and the
  # CLI, published with buildspecs/publish-tools.sh (see README).
  buildspec_tools = {
    bucket              = var.promoter_package_bucket
    bundle_key          = "releases/artifact-promoter/${var.artifact_promoter_version}/buildspec-tools.zip"
    bundle_sha256       = var.buildspec_tools_sha256
    promoter_cli_key    = "releases/artifact-promoter/${var.artifact_promoter_version}/artifact-promoter.jar"
    promoter_cli_sha256 = var.promoter_cli_sha256
    kms_key_arn         = var.promoter_package_kms_key_arn
  }
}

# ------------------------------------------------------------ state per account
# The state the deploy stage of each function pipeline uses (<function>/terraform.tfstate).

module "state_dev" {
  source    = "../../modules/terraform-state"
  providers = { aws = aws.dev }

  environment = "dev"
  name_prefix = var.name_prefix
}

module "state_stage" {
  source    = "../../modules/terraform-state"
  providers = { aws = aws.stage }

  environment = "stage"
  name_prefix = var.name_prefix
}

module "state_prod" {
  source    = "../../modules/terraform-state"
  providers = { aws = aws.prod }

  environment = "prod"
  name_prefix = var.name_prefix
}

# ---------------------------------------------------------- artifact buckets

module "artifacts_dev" {
  source    = "../../modules/artifact-bucket"
  providers = { aws = aws.dev }

  environment        = "dev"
  name_prefix        = var.name_prefix
  promotion_role_arn = local.promotion_role_arns["dev"]
  reader_role_arns   = [local.promotion_role_arns["stage"]]
  key_user_arns      = [local.pipeline_module_role_pattern["dev"]]
}

module "artifacts_stage" {
  source    = "../../modules/artifact-bucket"
  providers = { aws = aws.stage }

  environment        = "stage"
  name_prefix        = var.name_prefix
  promotion_role_arn = local.promotion_role_arns["stage"]
  reader_role_arns   = [local.promotion_role_arns["prod"]]
  key_user_arns      = [local.pipeline_module_role_pattern["stage"]]
}

module "artifacts_prod" {
  source    = "../../modules/artifact-bucket"
  providers = { aws = aws.prod }

  environment        = "prod"
  name_prefix        = var.name_prefix
  promotion_role_arn = local.promotion_role_arns["prod"]
  key_user_arns      = [local.pipeline_module_role_pattern["prod"]]
}

# ------------------------------------------------------- promote function (ops)

data "aws_s3_object" "promoter_package" {
  provider = aws.ops

  bucket = var.promoter_package_bucket
  key    = var.promoter_package_key
}

module "promoter" {
  source    = "../../modules/promote-function"
  providers = { aws = aws.ops }

  environment       = "ops"
  s3_bucket         = var.promoter_package_bucket
  s3_key            = var.promoter_package_key
  s3_object_version = data.aws_s3_object.promoter_package.version_id

  environments = {
    dev = {
      account     = var.dev_account_id
      region      = var.region
      bucket      = module.artifacts_dev.bucket_name
      role        = local.promotion_role_arns["dev"]
      external_id = var.external_ids["dev"]
      kms_key_arn = module.artifacts_dev.kms_key_arn
    }
    stage = {
      account     = var.stage_account_id
      region      = var.region
      bucket      = module.artifacts_stage.bucket_name
      role        = local.promotion_role_arns["stage"]
      external_id = var.external_ids["stage"]
      kms_key_arn = module.artifacts_stage.kms_key_arn
    }
    prod = {
      account     = var.prod_account_id
      region      = var.region
      bucket      = module.artifacts_prod.bucket_name
      role        = local.promotion_role_arns["prod"]
      external_id = var.external_ids["prod"]
      kms_key_arn = module.artifacts_prod.kms_key_arn
    }
  }
  promotions = {
    dev   = ["stage"]
    stage = ["prod"]
  }

  # Every promotion verifies the release's signed build provenance; releases without it are
  # refused (the signing key is below).
  provenance = local.provenance

  # Only pipelines that promote (dev and stage) invoke the function, each through its own role.
  pipeline_role_arns = {
    dev   = [local.pipeline_role_pattern["dev"]]
    stage = [local.pipeline_role_pattern["stage"]]
  }
}

# ------------------------------------------------------------ promotion roles

module "promotion_role_dev" {
  source    = "../../modules/promotion-role"
  providers = { aws = aws.dev }

  environment       = "dev"
  bucket_arn        = module.artifacts_dev.bucket_arn
  kms_key_arn       = module.artifacts_dev.kms_key_arn
  promoter_role_arn = module.promoter.execution_role_arn
  external_id       = var.external_ids["dev"]
}

module "promotion_role_stage" {
  source    = "../../modules/promotion-role"
  providers = { aws = aws.stage }

  environment       = "stage"
  bucket_arn        = module.artifacts_stage.bucket_arn
  kms_key_arn       = module.artifacts_stage.kms_key_arn
  promoter_role_arn = module.promoter.execution_role_arn
  external_id       = var.external_ids["stage"]
  source_environments = {
    dev = {
      bucket_arn  = module.artifacts_dev.bucket_arn
      kms_key_arn = module.artifacts_dev.kms_key_arn
    }
  }
}

module "promotion_role_prod" {
  source    = "../../modules/promotion-role"
  providers = { aws = aws.prod }

  environment       = "prod"
  bucket_arn        = module.artifacts_prod.bucket_arn
  kms_key_arn       = module.artifacts_prod.kms_key_arn
  promoter_role_arn = module.promoter.execution_role_arn
  external_id       = var.external_ids["prod"]
  source_environments = {
    stage = {
      bucket_arn  = module.artifacts_stage.bucket_arn
      kms_key_arn = module.artifacts_stage.kms_key_arn
    }
  }
}

# ------------------------------------------------- pipelines of orders-api

module "pipeline_dev" {
  source    = "../../modules/function-pipeline"
  providers = { aws = aws.dev }

  environment          = "dev"
  function_name        = var.function_name
  name_prefix          = var.name_prefix
  artifact_bucket_name = module.artifacts_dev.bucket_name
  kms_key_arn          = module.artifacts_dev.kms_key_arn
  terraform_backend    = module.state_dev.backend
  buildspec_tools      = local.buildspec_tools
  function_dir         = var.function_dir
  deploy_policy_arns   = [module.deploy_function_dev.policy_arn]
  # The sample function's execution role carries the boundary its deploy role may only create
  # it with.
  deploy_terraform_variables = {
    execution_role_permissions_boundary = module.deploy_function_dev.execution_boundary_arn
  }
  # dev builds and publishes: its build role signs each package's provenance.
  provenance = { signing_key_arn = module.signing_key.key_arn }

  source_connection = {
    connection_arn = var.source_connection_arn
    repository     = var.repository
    branch         = var.branch
  }

  promotion = {
    to              = "stage"
    function_arn    = module.promoter.alias_arn
    invoke_role_arn = module.promoter.pipeline_invoke_role_arns["dev"]
  }
}

module "pipeline_stage" {
  source    = "../../modules/function-pipeline"
  providers = { aws = aws.stage }

  environment          = "stage"
  function_name        = var.function_name
  name_prefix          = var.name_prefix
  artifact_bucket_name = module.artifacts_stage.bucket_name
  kms_key_arn          = module.artifacts_stage.kms_key_arn
  terraform_backend    = module.state_stage.backend
  buildspec_tools      = local.buildspec_tools
  function_dir         = var.function_dir
  deploy_policy_arns   = [module.deploy_function_stage.policy_arn]
  # The sample function's execution role carries the boundary its deploy role may only create
  # it with.
  deploy_terraform_variables = {
    execution_role_permissions_boundary = module.deploy_function_stage.execution_boundary_arn
  }

  # The function's Terraform, checked out at the promoted package's revision by the deploy.
  function_source = {
    connection_arn = var.stage_source_connection_arn
    repository     = var.repository
    branch         = var.branch
  }

  promotion = {
    to              = "prod"
    function_arn    = module.promoter.alias_arn
    invoke_role_arn = module.promoter.pipeline_invoke_role_arns["stage"]
  }
}

module "pipeline_prod" {
  source    = "../../modules/function-pipeline"
  providers = { aws = aws.prod }

  environment          = "prod"
  function_name        = var.function_name
  name_prefix          = var.name_prefix
  artifact_bucket_name = module.artifacts_prod.bucket_name
  kms_key_arn          = module.artifacts_prod.kms_key_arn
  terraform_backend    = module.state_prod.backend
  buildspec_tools      = local.buildspec_tools
  function_dir         = var.function_dir
  deploy_policy_arns   = [module.deploy_function_prod.policy_arn]
  # The sample function's execution role carries the boundary its deploy role may only create
  # it with.
  deploy_terraform_variables = {
    execution_role_permissions_boundary = module.deploy_function_prod.execution_boundary_arn
  }

  function_source = {
    connection_arn = var.prod_source_connection_arn
    repository     = var.repository
    branch         = var.branch
  }
}

# ------------------------------------------------- signed provenance (issue 11)
# The key that signs build provenance lives in ops. Only dev's build role (where packages are
# built and published) may sign; only the promote function's role may read the public key.

locals {
  # The promote function's provenance input (PROMOTION_CONFIG provenance): verification on for
  # every promotion, and releases without a valid envelope refused.
  provenance = {
    signing_key_arn = module.signing_key.key_arn
    required        = true
  }
}

module "signing_key" {
  source    = "../../modules/signing-key"
  providers = { aws = aws.ops }

  environment = "ops"
  name_prefix = var.name_prefix
  # The role that runs publish, as function-pipeline names it (under its role_path).
  signer_role_arns   = [module.pipeline_dev.build_role_arn]
  verifier_role_arns = [module.promoter.execution_role_arn]
}
