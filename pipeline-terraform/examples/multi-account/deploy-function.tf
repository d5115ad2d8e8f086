# The deploy role of each account may apply the sample function's Terraform, and nothing more.
module "deploy_function_dev" {
  source    = "./deploy-function-policy"
  providers = { aws = aws.dev }

  environment   = "dev"
  function_name = var.function_name
}

module "deploy_function_stage" {
  source    = "./deploy-function-policy"
  providers = { aws = aws.stage }

  environment   = "stage"
  function_name = var.function_name
}

module "deploy_function_prod" {
  source    = "./deploy-function-policy"
  providers = { aws = aws.prod }

  environment   = "prod"
  function_name = var.function_name
}
