output "function_arn" {
  description = "ARN of the promote function (unqualified)."
  value       = aws_lambda_function.this.arn
}

output "function_name" {
  description = "Name of the promote function."
  value       = aws_lambda_function.this.function_name
}

output "alias_arn" {
  description = "ARN of the live alias: what pipelines (Invoke action FunctionName) and operators invoke."
  value       = aws_lambda_alias.live.arn
}

output "version" {
  description = "Published version the live alias points at."
  value       = aws_lambda_function.this.version
}

output "execution_role_arn" {
  description = "ARN of the execution role; every promotion role trusts exactly this ARN."
  value       = aws_iam_role.execution.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "pipeline_invoke_role_arns" {
  description = "Role per source environment that that environment's pipelines name in their Invoke action (function-pipeline promotion.invoke_role_arn); empty when not created."
  value       = { for source, role in aws_iam_role.pipeline_invoke : source => role.arn }
}

output "event_bus_arn" {
  description = "ARN of the EventBridge bus the function publishes promotion events to."
  value       = local.event_bus_arn
}

output "promotion_alerts_topic_arn" {
  description = "ARN of the SNS topic that receives refused and failed promotions and promotions into alert_environments; null when create_promotion_alerts is false."
  value       = var.create_promotion_alerts ? aws_sns_topic.promotion_alerts[0].arn : null
}
