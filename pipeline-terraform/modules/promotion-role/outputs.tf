output "role_arn" {
  description = "ARN of the promotion role (the \"role\" of this environment in PROMOTION_CONFIG)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the promotion role."
  value       = aws_iam_role.this.name
}
