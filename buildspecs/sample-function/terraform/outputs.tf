output "function_name" {
  description = "Name of the deployed Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the deployed Lambda function."
  value       = aws_lambda_function.this.arn
}

output "git_revision" {
  description = "Git revision the deployed package was built from (also the function's git-revision tag)."
  value       = aws_lambda_function.this.tags["git-revision"]
}

output "code_sha256" {
  description = "Base64 SHA-256 of the deployed package as Lambda computed it."
  value       = aws_lambda_function.this.code_sha256
}
