output "policy_arn" {
  description = "ARN of the policy, for function-pipeline deploy_policy_arns."
  value       = aws_iam_policy.this.arn
}
