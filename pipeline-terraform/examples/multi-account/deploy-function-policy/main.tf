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
  log_group_arn          = "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.deployed_function_name}"
}

# The most the function's execution role can ever be allowed: writing its own logs. The deploy
# role may create that role and put policies on it only with this boundary, so whatever trust or
# inline policy a deploy writes, the role cannot be made into more (an assumable admin, say).
resource "aws_iam_policy" "execution_boundary" {
  name        = "${local.deployed_function_name}-execution-boundary"
  description = "Permissions boundary of the ${var.environment} execution role of ${var.function_name}: its own logs only"
  policy = templatefile("${path.module}/policies/execution-boundary.json.tftpl", {
    log_group_arn = local.log_group_arn
  })
  tags = var.tags
}

# What the sample function's Terraform (buildspecs/sample-function/terraform) manages beyond
# updating the function, which function-pipeline grants itself: its execution role (within the
# boundary above), its log group, creating and deleting the function. Nothing else.
resource "aws_iam_policy" "this" {
  name        = "${local.deployed_function_name}-deploy-function"
  description = "Lets the ${var.environment} deploy of ${var.function_name} create its function, execution role and log group"
  policy = templatefile("${path.module}/policies/deploy-function.json.tftpl", {
    execution_role_arn     = "${local.arn_prefix}:iam::${local.account_id}:role/${local.deployed_function_name}-execution"
    execution_boundary_arn = aws_iam_policy.execution_boundary.arn
    function_arn           = "${local.arn_prefix}:lambda:${local.region}:${local.account_id}:function:${local.deployed_function_name}"
    log_group_arn          = local.log_group_arn
    log_groups_arn         = "${local.arn_prefix}:logs:${local.region}:${local.account_id}:log-group:*"
  })
  tags = var.tags
}
