# Promotion events (issue 14): the function publishes every outcome to EventBridge (source
# artifact-promoter), and a rule sends refused and failed promotions, and every promotion into an
# alert environment (prod), to an SNS topic. In a file of its own while other changes land in
# main.tf and variables.tf; its variables and outputs move there when merged.

data "aws_region" "events" {}
data "aws_caller_identity" "events" {}
data "aws_partition" "events" {}

locals {
  event_bus_arn = coalesce(
    var.event_bus_arn,
    "arn:${data.aws_partition.events.partition}:events:${data.aws_region.events.id}:${data.aws_caller_identity.events.account_id}:event-bus/default"
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

