locals {
  name = coalesce(var.function_name, "sample-function-${var.environment}")
  tags = {
    "git-revision" = var.git_revision
    "environment"  = var.environment
    "function"     = "sample-function"
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name                 = "${local.name}-execution"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  permissions_boundary = var.execution_role_permissions_boundary
}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${local.name}"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

# Only its own log group: the function needs nothing else.
resource "aws_iam_role_policy" "logs" {
  name = "write-own-logs"
  role = aws_iam_role.function.id
  policy = templatefile("${path.module}/policies/logs.json.tftpl", {
    log_group_arn = aws_cloudwatch_log_group.function.arn
  })
}

resource "aws_lambda_function" "this" {
  function_name = local.name
  role          = aws_iam_role.function.arn
  runtime       = "java17"
  handler       = "org.artifactpromoter.sample.Handler::handleRequest"
  memory_size   = var.memory_size
  timeout       = 15

  # Exactly the promoted bytes: bucket, key and object version, never "the latest object".
  s3_bucket         = var.package_bucket
  s3_key            = var.package_key
  s3_object_version = var.package_version_id

  environment {
    variables = {
      GIT_REVISION = var.git_revision
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.logs]
}
