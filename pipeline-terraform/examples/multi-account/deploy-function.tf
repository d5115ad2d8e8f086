# What the deploy stage's Terraform of the sample function (buildspecs/sample-function/terraform)
# manages beyond updating the function, which function-pipeline grants itself: its execution
# role, its log group, creating and deleting the function. Nothing else. A function with more
# resources gets its own policy here.
locals {
  deployed_function_names = { for env in keys(local.accounts) : env => "${var.function_name}-${env}" }

  deploy_function_policies = {
    for env, account in local.accounts : env => templatefile("${path.module}/policies/deploy-function.json.tftpl", {
      execution_role_arn = "arn:${local.partition}:iam::${account}:role/${local.deployed_function_names[env]}-execution"
      function_arn       = "arn:${local.partition}:lambda:${var.region}:${account}:function:${local.deployed_function_names[env]}"
      log_group_arn      = "arn:${local.partition}:logs:${var.region}:${account}:log-group:/aws/lambda/${local.deployed_function_names[env]}"
      log_groups_arn     = "arn:${local.partition}:logs:${var.region}:${account}:log-group:*"
    })
  }
}

resource "aws_iam_policy" "deploy_function_dev" {
  provider = aws.dev

  name        = "${var.function_name}-dev-deploy-function"
  description = "Lets the dev deploy of ${var.function_name} create its function, execution role and log group"
  policy      = local.deploy_function_policies["dev"]
}

resource "aws_iam_policy" "deploy_function_stage" {
  provider = aws.stage

  name        = "${var.function_name}-stage-deploy-function"
  description = "Lets the stage deploy of ${var.function_name} create its function, execution role and log group"
  policy      = local.deploy_function_policies["stage"]
}

resource "aws_iam_policy" "deploy_function_prod" {
  provider = aws.prod

  name        = "${var.function_name}-prod-deploy-function"
  description = "Lets the prod deploy of ${var.function_name} create its function, execution role and log group"
  policy      = local.deploy_function_policies["prod"]
}
