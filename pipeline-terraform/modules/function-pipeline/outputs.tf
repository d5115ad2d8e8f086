output "pipeline_name" {
  description = "Name of the pipeline."
  value       = aws_codepipeline.this.name
}

output "pipeline_arn" {
  description = "ARN of the pipeline."
  value       = aws_codepipeline.this.arn
}

output "pipeline_role_arn" {
  description = "ARN of the pipeline's service role (promote-function's pipeline_role_arns must match it)."
  value       = aws_iam_role.pipeline.arn
}

output "build_project_name" {
  description = "Name of the build CodeBuild project (null in later accounts)."
  value       = try(aws_codebuild_project.build[0].name, null)
}

output "deploy_project_name" {
  description = "Name of the deploy CodeBuild project."
  value       = aws_codebuild_project.deploy.name
}

output "build_role_arn" {
  description = "ARN of the build CodeBuild role, which publishes (null in later accounts): signing-key's signer_role_arns."
  value       = try(aws_iam_role.build[0].arn, null)
}

output "deploy_role_arn" {
  description = "ARN of the deploy CodeBuild role; attach what the function's own Terraform needs (or use deploy_policy_arns)."
  value       = aws_iam_role.deploy.arn
}

output "role_arn_pattern" {
  description = "ARN pattern that matches every role this module creates in this account (for artifact-bucket key_user_arns)."
  value       = "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}*"
}

output "pipeline_role_arn_pattern" {
  description = "ARN pattern that matches the pipeline roles of every function in this account and no other role (promote-function pipeline_role_arns)."
  value       = "arn:${local.partition}:iam::${local.account_id}:role${local.pipeline_role_path}*"
}

output "build_environment_variables" {
  description = "Environment variables of the build project (null in later accounts): what buildspecs/build.yml gets besides what CodeBuild and the pipeline action set."
  value       = local.is_first_account ? local.build_environment_variables : null
}

output "deploy_environment_variables" {
  description = "Environment variables of the deploy project: what buildspecs/deploy.yml gets besides what CodeBuild and the pipeline action set."
  value       = local.deploy_environment_variables
}

output "drop_key" {
  description = "Drop key this pipeline watches in later accounts and the build publishes in the first: drop/<function>.zip."
  value       = local.drop_key
}

output "artifact_store_bucket_name" {
  description = "Bucket that holds the pipeline's own artifacts."
  value       = local.artifact_store_bucket
}
