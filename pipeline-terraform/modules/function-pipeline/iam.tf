# ---------------------------------------------------------------- pipeline role
# On a path of its own below role_path: promote-function's invoke role trusts pipeline roles by
# that path (pipeline_role_arn_pattern), and must not trust the build, deploy or events roles.
resource "aws_iam_role" "pipeline" {
  name = "${local.name}-pipeline"
  path = local.pipeline_role_path
  assume_role_policy = templatefile("${path.module}/policies/service-trust.json.tftpl", {
    service    = "codepipeline.amazonaws.com"
    account_id = local.account_id
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "pipeline" {
  name = "${local.name}-pipeline"
  role = aws_iam_role.pipeline.id
  policy = templatefile("${path.module}/policies/pipeline.json.tftpl", {
    artifact_store_bucket_arn   = local.artifact_store_bucket_arn
    kms_key_arn                 = var.kms_key_arn
    codebuild_project_arns_json = jsonencode(concat(aws_codebuild_project.build[*].arn, [aws_codebuild_project.deploy.arn]))
  })
}

# The build source (first account) or the function source (later accounts).
resource "aws_iam_role_policy" "pipeline_connection" {
  count = local.source_connection_arn != null ? 1 : 0

  name = "${local.name}-pipeline-connection"
  role = aws_iam_role.pipeline.id
  policy = templatefile("${path.module}/policies/pipeline-connection.json.tftpl", {
    connection_arn = local.source_connection_arn
  })
}

resource "aws_iam_role_policy" "pipeline_s3_source" {
  count = local.is_first_account ? 0 : 1

  name = "${local.name}-pipeline-s3-source"
  role = aws_iam_role.pipeline.id
  policy = templatefile("${path.module}/policies/pipeline-s3-source.json.tftpl", {
    artifact_bucket_arn = local.artifact_bucket_arn
    drop_key            = local.drop_key
  })
}

# Same account: the pipeline role invokes the promote function itself. Other account:
# the Invoke action runs as the promote function's invoke role (role_arn). The choice
# is made in the document, not with count, because the role ARN is usually unknown
# until the promote function's account is applied.
resource "aws_iam_role_policy" "pipeline_promote" {
  count = local.has_promotion ? 1 : 0

  name = "${local.name}-pipeline-promote"
  role = aws_iam_role.pipeline.id
  policy = (
    var.promotion.invoke_role_arn == null
    ? templatefile("${path.module}/policies/pipeline-invoke.json.tftpl", { function_arn = var.promotion.function_arn })
    : templatefile("${path.module}/policies/pipeline-assume-invoke-role.json.tftpl", { invoke_role_arn = var.promotion.invoke_role_arn })
  )
}

# The Manual approval's NotificationArn is published by the pipeline role.
resource "aws_iam_role_policy" "pipeline_approval_notification" {
  count = local.has_promotion && var.approval_sns_topic_arn != null ? 1 : 0

  name = "${local.name}-pipeline-approval-notification"
  role = aws_iam_role.pipeline.id
  policy = templatefile("${path.module}/policies/pipeline-approval-notification.json.tftpl", {
    topic_arn = var.approval_sns_topic_arn
  })
}

# ------------------------------------------------------------ buildspec tools
# Both projects fetch the scripts and the CLI (buildspec_tools) in their install phase.
locals {
  buildspec_tools_policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      jsondecode(templatefile("${path.module}/policies/buildspec-tools.json.tftpl", {
        tool_object_arns_json = jsonencode(local.tools_object_arns)
      })).Statement,
      var.buildspec_tools.kms_key_arn == null ? [] : jsondecode(templatefile("${path.module}/policies/buildspec-tools-key.json.tftpl", {
        kms_key_arn = var.buildspec_tools.kms_key_arn
      })).Statement,
    )
  })
  buildspec_tools_roles = merge({ deploy = aws_iam_role.deploy.id }, { for role in aws_iam_role.build : "build" => role.id })
}

resource "aws_iam_role_policy" "buildspec_tools" {
  for_each = local.buildspec_tools_roles

  name   = "${local.name}-${each.key}-buildspec-tools"
  role   = each.value
  policy = local.buildspec_tools_policy
}

# ------------------------------------------------------------------- build role
resource "aws_iam_role" "build" {
  count = local.is_first_account ? 1 : 0

  name = "${local.name}-build"
  path = var.role_path
  assume_role_policy = templatefile("${path.module}/policies/service-trust.json.tftpl", {
    service    = "codebuild.amazonaws.com"
    account_id = local.account_id
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "build" {
  count = local.is_first_account ? 1 : 0

  name = "${local.name}-build"
  role = aws_iam_role.build[0].id
  policy = templatefile("${path.module}/policies/codebuild.json.tftpl", {
    log_group_arn             = aws_cloudwatch_log_group.build[0].arn
    artifact_store_bucket_arn = local.artifact_store_bucket_arn
    kms_key_arn               = var.kms_key_arn
  })
}

resource "aws_iam_role_policy" "build_publish" {
  count = local.is_first_account ? 1 : 0

  name = "${local.name}-build-publish"
  role = aws_iam_role.build[0].id
  policy = templatefile("${path.module}/policies/build-publish.json.tftpl", {
    artifact_bucket_arn = local.artifact_bucket_arn
    function_name       = var.function_name
  })
}

# Publish signs the package's provenance with the ops account's signing key. The key policy must
# also name this role (signing-key signer_role_arns, output build_role_arn).
resource "aws_iam_role_policy" "build_sign_provenance" {
  count = local.is_first_account && var.provenance != null ? 1 : 0

  name = "${local.name}-build-sign-provenance"
  role = aws_iam_role.build[0].id
  policy = templatefile("${path.module}/policies/build-sign-provenance.json.tftpl", {
    signing_key_arn = var.provenance.signing_key_arn
  })
}

# ------------------------------------------------------------------ deploy role
resource "aws_iam_role" "deploy" {
  name = "${local.name}-deploy"
  path = var.role_path
  assume_role_policy = templatefile("${path.module}/policies/service-trust.json.tftpl", {
    service    = "codebuild.amazonaws.com"
    account_id = local.account_id
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "deploy_codebuild" {
  name = "${local.name}-deploy-codebuild"
  role = aws_iam_role.deploy.id
  policy = templatefile("${path.module}/policies/codebuild.json.tftpl", {
    log_group_arn             = aws_cloudwatch_log_group.deploy.arn
    artifact_store_bucket_arn = local.artifact_store_bucket_arn
    kms_key_arn               = var.kms_key_arn
  })
}

resource "aws_iam_role_policy" "deploy" {
  name = "${local.name}-deploy"
  role = aws_iam_role.deploy.id
  policy = templatefile("${path.module}/policies/deploy.json.tftpl", {
    artifact_bucket_arn   = local.artifact_bucket_arn
    function_name         = var.function_name
    state_bucket_arn      = local.state_bucket_arn
    state_key             = local.state_key
    state_kms_key_arn     = var.terraform_backend.kms_key_arn
    deployed_function_arn = local.deployed_function_arn
  })
}

# Later accounts: CodeBuild clones the function's repository (the CODEBUILD_CLONE_REF
# input function_source) through the connection, as the deploy role.
resource "aws_iam_role_policy" "deploy_function_source" {
  count = local.has_function_source ? 1 : 0

  name = "${local.name}-deploy-function-source"
  role = aws_iam_role.deploy.id
  policy = templatefile("${path.module}/policies/deploy-function-source.json.tftpl", {
    connection_arn = var.function_source.connection_arn
  })
}

resource "aws_iam_role_policy" "deploy_lock_table" {
  count = var.terraform_backend.dynamodb_table != null ? 1 : 0

  name = "${local.name}-deploy-lock-table"
  role = aws_iam_role.deploy.id
  policy = templatefile("${path.module}/policies/deploy-lock-table.json.tftpl", {
    lock_table_arn    = "arn:${local.partition}:dynamodb:${var.terraform_backend.region}:${local.account_id}:table/${var.terraform_backend.dynamodb_table}"
    state_kms_key_arn = var.terraform_backend.kms_key_arn
  })
}

resource "aws_iam_role_policy_attachment" "deploy_extra" {
  count = length(var.deploy_policy_arns)

  role       = aws_iam_role.deploy.name
  policy_arn = var.deploy_policy_arns[count.index]
}

# ------------------------------------------------------------------ events role
resource "aws_iam_role" "events" {
  count = local.is_first_account ? 0 : 1

  name = "${local.name}-events"
  path = var.role_path
  assume_role_policy = templatefile("${path.module}/policies/service-trust.json.tftpl", {
    service    = "events.amazonaws.com"
    account_id = local.account_id
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "events" {
  count = local.is_first_account ? 0 : 1

  name = "${local.name}-events"
  role = aws_iam_role.events[0].id
  policy = templatefile("${path.module}/policies/events.json.tftpl", {
    pipeline_arn = aws_codepipeline.this.arn
  })
}
