output "policy_arn" {
  description = "ARN of the policy, for function-pipeline deploy_policy_arns."
  value       = aws_iam_policy.this.arn
}

output "execution_boundary_arn" {
  description = "ARN of the permissions boundary the function's execution role must carry: the function's Terraform sets it as the role's permissions_boundary (TF_VAR_execution_role_permissions_boundary on the deploy project)."
  value       = aws_iam_policy.execution_boundary.arn
}
