data "aws_partition" "current" {}

locals {
  name = "${var.function_name}-${var.environment}"

  # PROMOTION_CONFIG, in the JSON shape the promoter reads (camelCase keys).
  promotion_config = jsonencode(merge(
    {
      environments = {
        for name, env in var.environments : name => merge(
          {
            account           = env.account
            region            = env.region
            bucket            = env.bucket
            role              = env.role
            externalId        = env.external_id
            conditionalWrites = env.conditional_writes
            # A promotion into the environment needs an approved job (or the CLI's break-glass);
            # a job promoting from it must run in one of its pipelines.
            requireApproval = env.require_approval
            pipelines       = env.pipelines
          },
          env.kms_key_arn == null ? {} : { kmsKeyArn = env.kms_key_arn },
          env.deployed_function_pattern == null ? {} : { deployedFunctionPattern = env.deployed_function_pattern }
        )
      }
      promotions = var.promotions
      copy = {
        mode                    = var.copy.mode
        multipartThresholdBytes = var.copy.multipart_threshold_bytes
        partSizeBytes           = var.copy.part_size_bytes
        maxConcurrency          = var.copy.max_concurrency
      }
    },
    # Absent rather than null: the promoter refuses fields it cannot read.
    # The bus promotion events go to (events.tf); absent: the function account's default bus.
    var.event_bus_arn == null ? {} : { eventBus = var.event_bus_arn },
    var.provenance == null ? {} : {
      provenance = {
        signingKeyArn = var.provenance.signing_key_arn
        required      = var.provenance.required
      }
    }
  ))

  promotion_role_arns = distinct([for env in values(var.environments) : env.role])
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name     = local.name
  description       = "Promotes Lambda deployment packages between environments"
  role              = aws_iam_role.execution.arn
  handler           = var.handler
  runtime           = var.runtime
  architectures     = [var.architecture]
  memory_size       = var.memory_size
  timeout           = var.timeout
  s3_bucket         = var.s3_bucket
  s3_key            = var.s3_key
  s3_object_version = var.s3_object_version
  publish           = true

  environment {
    variables = {
      PROMOTION_CONFIG    = local.promotion_config
      PROMOTION_LOG_LEVEL = var.log_level
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = var.log_level
    system_log_level      = "WARN"
  }

  # Only when enabled: the API never returns apply_on = "None", so a static block would show
  # a change (and publish a new version) on every plan.
  dynamic "snap_start" {
    for_each = var.snap_start ? ["PublishedVersions"] : []
    content {
      apply_on = snap_start.value
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.execution, aws_iam_role_policy.verify_provenance]
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The published version pipelines and operators invoke"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
