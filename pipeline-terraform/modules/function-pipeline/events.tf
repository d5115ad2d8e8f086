# Later accounts: start the pipeline when the promoter writes a new version of the
# drop key (the S3 source action does not poll).
resource "aws_cloudwatch_event_rule" "drop_key" {
  count = local.is_first_account ? 0 : 1

  name        = "${local.name}-drop-key"
  description = "New version of s3://${var.artifact_bucket_name}/${local.drop_key} starts ${local.name}"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [var.artifact_bucket_name] }
      object = { key = [local.drop_key] }
    }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "drop_key" {
  count = local.is_first_account ? 0 : 1

  rule     = aws_cloudwatch_event_rule.drop_key[0].name
  arn      = aws_codepipeline.this.arn
  role_arn = aws_iam_role.events[0].arn
}
