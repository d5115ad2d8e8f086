data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
# .id is the region name in provider v5 and v6 alike (v6 deprecates .name for .region, which v5
# lacks).
data "aws_region" "current" {}

locals {
  # function-pipeline's default deployed_function_name, which the deploy passes to the
  # function's Terraform as TF_VAR_function_name.
  deployed_function_name = "${var.function_name}-${var.environment}"
  arn_prefix             = "arn:${data.aws_partition.current.partition}"
  account_id             = data.aws_caller_identity.current.account_id
  region                 = data.aws_region.current.id
}

# What the sample function's Terraform (buildspecs/sample-function/terraform) manages beyond
# updating the function, which function-pipeline grants itself: its execution role, its log
# group, creating and deleting the function. Nothing else.
resource "aws_iam_policy" "this" {
  name        = "${local.deployed_function_name}-deploy-function"
  description = "Lets the ${var.environment} deploy of ${var.function_name} create its function, execution role and log group"
  policy = templatefile("${path.module}/policies/deploy-function.json.tftpl", {
    execution_role_arn = "${local.arn_prefix}:iam::${local.account_id}:role/${local.deployed_function_name}-execution"
    function_arn       = "${local.arn_prefix}:lambda:${local.region}:${local.account_id}:function:${local.deployed_function_name}"
    log_group_arn      = "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.deployed_function_name}"
    log_groups_arn     = "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:*"
  })
  tags = var.tags
}
