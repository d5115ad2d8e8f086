output "promote_function_alias_arn" {
  description = "What to invoke for a promotion by hand: aws lambda invoke --function-name <this> --payload '{\"function\":\"orders-api\",\"from\":\"dev\",\"to\":\"stage\"}' out.json"
  value       = module.promoter.alias_arn
}

output "artifact_buckets" {
  description = "Artifact bucket per environment."
  value = {
    dev   = module.artifacts_dev.bucket_name
    stage = module.artifacts_stage.bucket_name
    prod  = module.artifacts_prod.bucket_name
  }
}

output "pipelines" {
  description = "Pipeline of the sample function per environment."
  value = {
    dev   = module.pipeline_dev.pipeline_name
    stage = module.pipeline_stage.pipeline_name
    prod  = module.pipeline_prod.pipeline_name
  }
}

output "promotion_roles" {
  description = "Promotion role per environment (must equal the ARNs PROMOTION_CONFIG names)."
  value = {
    dev   = module.promotion_role_dev.role_arn
    stage = module.promotion_role_stage.role_arn
    prod  = module.promotion_role_prod.role_arn
  }
}

output "deploy_backend_environment_variables" {
  description = "TF_BACKEND_* settings each account's deploy stage receives (without the per-function key)."
  value = {
    dev   = module.state_dev.backend_environment_variables
    stage = module.state_stage.backend_environment_variables
    prod  = module.state_prod.backend_environment_variables
  }
}

# ------------------------------------------------- signed provenance (issue 11)

output "provenance" {
  description = "The promotion configuration's provenance block: the signing key ARN, and required = true."
  value       = local.provenance
}
