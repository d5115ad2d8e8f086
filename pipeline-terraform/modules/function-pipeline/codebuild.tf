locals {
  backend_environment_variables = merge(
    {
      TF_BACKEND_BUCKET     = var.terraform_backend.bucket
      TF_BACKEND_KEY        = local.state_key
      TF_BACKEND_REGION     = var.terraform_backend.region
      TF_BACKEND_KMS_KEY_ID = var.terraform_backend.kms_key_arn
    },
    var.terraform_backend.dynamodb_table != null ? {
      TF_BACKEND_DYNAMODB_TABLE = var.terraform_backend.dynamodb_table
      } : {
      TF_BACKEND_USE_LOCKFILE = "true"
    }
  )

  package_environment_variables = {
    PACKAGE_BUCKET       = var.artifact_bucket_name
    PACKAGE_KEY          = local.drop_key
    PACKAGE_KMS_KEY_ARN  = var.kms_key_arn
    FUNCTION_NAME        = var.function_name
    DEPLOY_FUNCTION_NAME = local.deployed_function_name
    TARGET_ENV           = var.environment
    FUNCTION_DIR         = var.function_dir
  }

  # Everything each buildspec reads that CodeBuild and the pipeline action do not set.
  # publish-package.sh passes PROMOTION_SIGNING_KEY_ARN to publish, which then signs provenance.
  build_environment_variables = merge(
    local.package_environment_variables,
    local.tools_environment_variables,
    var.provenance == null ? {} : { PROMOTION_SIGNING_KEY_ARN = var.provenance.signing_key_arn },
  )
  deploy_environment_variables = merge(
    local.package_environment_variables,
    local.backend_environment_variables,
    local.tools_environment_variables,
    { TERRAFORM_DOWNLOAD_BASE_URL = var.terraform_download_base_url },
    var.terraform_dir == null ? {} : { TF_DIR = var.terraform_dir },
    { for name, value in var.deploy_terraform_variables : "TF_VAR_${name}" => value },
  )
}

resource "aws_cloudwatch_log_group" "build" {
  count = local.is_first_account ? 1 : 0

  name              = "/aws/codebuild/${local.name}-build"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_codebuild_project" "build" {
  count = local.is_first_account ? 1 : 0

  name           = "${local.name}-build"
  description    = "Builds ${var.function_name} once and publishes the package with its git revision"
  service_role   = aws_iam_role.build[0].arn
  build_timeout  = var.codebuild_timeout_minutes
  encryption_key = var.kms_key_arn

  source {
    type      = "CODEPIPELINE"
    buildspec = local.build_buildspec
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type         = "LINUX_CONTAINER"
    image        = var.codebuild_image
    compute_type = var.codebuild_compute_type

    dynamic "environment_variable" {
      for_each = local.build_environment_variables
      content {
        name  = environment_variable.key
        value = environment_variable.value
      }
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.build[0].name
    }
  }

  tags = var.tags
}

resource "aws_cloudwatch_log_group" "deploy" {
  name              = "/aws/codebuild/${local.name}-deploy"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_codebuild_project" "deploy" {
  name           = "${local.name}-deploy"
  description    = "Deploys ${var.function_name} to ${var.environment} with this account's Terraform state"
  service_role   = aws_iam_role.deploy.arn
  build_timeout  = var.codebuild_timeout_minutes
  encryption_key = var.kms_key_arn

  source {
    type      = "CODEPIPELINE"
    buildspec = local.deploy_buildspec
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type         = "LINUX_CONTAINER"
    image        = var.codebuild_image
    compute_type = var.codebuild_compute_type

    dynamic "environment_variable" {
      for_each = local.deploy_environment_variables
      content {
        name  = environment_variable.key
        value = environment_variable.value
      }
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.deploy.name
    }
  }

  tags = var.tags
}
