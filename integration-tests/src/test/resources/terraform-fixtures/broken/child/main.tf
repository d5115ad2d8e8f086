locals {
  prefix = "${var.function_name}-${var.environment}"
  name   = "${local.prefix}-x"
}

resource "aws_cloudwatch_log_group" "no_function" {
  name = "/aws/x/${var.environment}"
}

resource "aws_codebuild_project" "unnamed" {
  description = "No name at all."
}

resource "aws_codepipeline" "through_locals" {
  name = local.name
}
