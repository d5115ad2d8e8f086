# Promotion events (issue 14): the function publishes every outcome to EventBridge (source
# artifact-promoter), and a rule sends refused and failed promotions, and every promotion into an
# alert environment (prod), to an SNS topic. In a file of its own while other changes land in
# main.tf and variables.tf; its variables and outputs move there when merged.

variable "event_bus_arn" {
  type        = string
  description = "ARN of the EventBridge bus the function publishes promotion events to; null for the default bus of the function's account and region."
  default     = null

  validation {
    condition     = var.event_bus_arn == null || can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[/._A-Za-z0-9-]+$", var.event_bus_arn))
    error_message = "event_bus_arn must be an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>), or null for the default bus."
  }
}

variable "create_promotion_alerts" {
  type        = bool
  description = "Create an SNS topic and an EventBridge rule that sends it refused and failed promotions, and every promotion into alert_environments."
  default     = true
}

variable "alert_environments" {
  type        = list(string)
  description = "Environments every successful promotion into which is sent to the alerts topic (refusals and failures always are)."
  default     = ["prod"]
}

data "aws_region" "events" {}
data "aws_caller_identity" "events" {}
data "aws_partition" "events" {}

locals {
  event_bus_arn = coalesce(
    var.event_bus_arn,
    "arn:${data.aws_partition.events.partition}:events:${data.aws_region.events.name}:${data.aws_caller_identity.events.account_id}:event-bus/default"
  )
}

resource "aws_iam_role_policy" "publish_events" {
  name = "${local.name}-publish-events"
  role = aws_iam_role.execution.id
  policy = templatefile("${path.module}/policies/publish-events.json.tftpl", {
    event_bus_arn = local.event_bus_arn
  })
}

resource "aws_sns_topic" "promotion_alerts" {
  count = var.create_promotion_alerts ? 1 : 0

  name = "${local.name}-promotion-alerts"
  tags = var.tags
}

resource "aws_cloudwatch_event_rule" "promotion_alerts" {
  count = var.create_promotion_alerts ? 1 : 0

  name           = "${local.name}-promotion-alerts"
  description    = "Refused and failed promotions, and promotions into ${join(", ", var.alert_environments)}"
  event_bus_name = local.event_bus_arn
  event_pattern = jsonencode({
    source = ["artifact-promoter"]
    "$or" = [
      { "detail-type" = ["Promotion Refused", "Promotion Failed"] },
      {
        "detail-type" = ["Promotion Succeeded"]
        detail        = { to = var.alert_environments, status = ["PROMOTED"] }
      }
    ]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "promotion_alerts" {
  count = var.create_promotion_alerts ? 1 : 0

  rule           = aws_cloudwatch_event_rule.promotion_alerts[0].name
  event_bus_name = local.event_bus_arn
  arn            = aws_sns_topic.promotion_alerts[0].arn
}

resource "aws_sns_topic_policy" "promotion_alerts" {
  count = var.create_promotion_alerts ? 1 : 0

  arn = aws_sns_topic.promotion_alerts[0].arn
  policy = templatefile("${path.module}/policies/alerts-topic.json.tftpl", {
    topic_arn = aws_sns_topic.promotion_alerts[0].arn
    rule_arn  = aws_cloudwatch_event_rule.promotion_alerts[0].arn
  })
}

output "event_bus_arn" {
  description = "ARN of the EventBridge bus the function publishes promotion events to."
  value       = local.event_bus_arn
}

output "promotion_alerts_topic_arn" {
  description = "ARN of the SNS topic that receives refused and failed promotions and promotions into alert_environments; null when create_promotion_alerts is false."
  value       = var.create_promotion_alerts ? aws_sns_topic.promotion_alerts[0].arn : null
}
