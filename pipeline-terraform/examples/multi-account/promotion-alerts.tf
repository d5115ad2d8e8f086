# Promotion events (issue 14): the promote function's module creates, by default, an SNS topic
# that receives refused and failed promotions and every promotion into prod. Subscribe the team
# to it (email, chat) outside this example.

output "promotion_alerts_topic_arn" {
  description = "SNS topic (ops account) that receives refused and failed promotions and every promotion into prod."
  value       = module.promoter.promotion_alerts_topic_arn
}
