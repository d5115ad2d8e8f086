resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  description        = "Execution role of the ${local.name} promote function"
  assume_role_policy = templatefile("${path.module}/policies/execution-trust.json.tftpl", {})
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name = "${local.name}-execution"
  role = aws_iam_role.execution.id
  policy = templatefile("${path.module}/policies/execution.json.tftpl", {
    promotion_role_arns_json = jsonencode(local.promotion_role_arns)
    log_group_arn            = aws_cloudwatch_log_group.this.arn
  })
}

# Pipelines live in the environment accounts; their Invoke action names this role
# (role_arn) so CodePipeline can invoke the function across accounts.
locals {
  pipeline_account_root_arns = distinct([
    for arn in var.pipeline_role_arns : "arn:${split(":", arn)[1]}:iam::${split(":", arn)[4]}:root"
  ])
}

resource "aws_iam_role" "pipeline_invoke" {
  count = var.create_pipeline_invoke_role ? 1 : 0

  name        = "${local.name}-pipeline-invoke"
  description = "Assumed by CodePipeline Invoke actions to invoke ${local.name}:live"
  assume_role_policy = templatefile("${path.module}/policies/invoke-trust.json.tftpl", {
    pipeline_account_root_arns_json = jsonencode(local.pipeline_account_root_arns)
    pipeline_role_arns_json         = jsonencode(var.pipeline_role_arns)
  })
  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.pipeline_role_arns) > 0
      error_message = "pipeline_role_arns must name at least one pipeline role when create_pipeline_invoke_role is true."
    }
  }
}

resource "aws_iam_role_policy" "pipeline_invoke" {
  count = var.create_pipeline_invoke_role ? 1 : 0

  name = "${local.name}-pipeline-invoke"
  role = aws_iam_role.pipeline_invoke[0].id
  policy = templatefile("${path.module}/policies/invoke.json.tftpl", {
    function_arn = aws_lambda_function.this.arn
    alias_arn    = aws_lambda_alias.live.arn
  })
}
