locals {
  # Per-execution values, resolved by CodePipeline from the source action's output
  # variables (namespace SourceVariables). The first account deploys the immutable
  # release of the commit it built; later accounts deploy the exact drop-key version
  # that started the execution.
  deploy_action_variables = concat(
    [
      { name = "SOURCE_REVISION", value = local.source_revision_variable, type = "PLAINTEXT" },
    ],
    local.is_first_account ? [
      { name = "PACKAGE_KEY", value = "releases/${var.function_name}/#{SourceVariables.CommitId}.zip", type = "PLAINTEXT" },
      ] : [
      { name = "PACKAGE_VERSION_ID", value = "#{SourceVariables.VersionId}", type = "PLAINTEXT" },
    ]
  )

  # The package is the primary input (CODEBUILD_SRC_DIR); in later accounts the function's
  # repository comes along as a secondary input for its Terraform.
  deploy_input_artifacts = concat(["source_output"], local.has_function_source ? [local.function_source_artifact] : [])
}

resource "aws_codepipeline" "this" {
  name           = local.name
  pipeline_type  = "V2"
  execution_mode = var.execution_mode
  role_arn       = aws_iam_role.pipeline.arn

  artifact_store {
    location = local.artifact_store_bucket
    type     = "S3"

    encryption_key {
      id   = var.kms_key_arn
      type = "KMS"
    }
  }

  stage {
    name = "Source"

    dynamic "action" {
      for_each = local.is_first_account ? [var.source_connection] : []
      content {
        name             = "Source"
        category         = "Source"
        owner            = "AWS"
        provider         = "CodeStarSourceConnection"
        version          = "1"
        namespace        = "SourceVariables"
        output_artifacts = ["source_output"]

        configuration = {
          ConnectionArn        = action.value.connection_arn
          FullRepositoryId     = action.value.repository
          BranchName           = action.value.branch
          OutputArtifactFormat = "CODE_ZIP"
          DetectChanges        = "true"
        }
      }
    }

    # Later accounts: the function's repository, for the deploy's Terraform only. It never
    # starts the pipeline (DetectChanges false: the drop key does), and it is a reference
    # CodeBuild clones in full (CODEBUILD_CLONE_REF), so the deploy can check out the
    # package's own commit rather than the branch head this action resolves to.
    dynamic "action" {
      for_each = local.has_function_source ? [var.function_source] : []
      content {
        name             = "FunctionSource"
        category         = "Source"
        owner            = "AWS"
        provider         = "CodeStarSourceConnection"
        version          = "1"
        namespace        = "FunctionSourceVariables"
        output_artifacts = [local.function_source_artifact]

        configuration = {
          ConnectionArn        = action.value.connection_arn
          FullRepositoryId     = action.value.repository
          BranchName           = action.value.branch
          OutputArtifactFormat = "CODEBUILD_CLONE_REF"
          DetectChanges        = "false"
        }
      }
    }

    dynamic "action" {
      for_each = local.is_first_account ? [] : [local.drop_key]
      content {
        name             = "Source"
        category         = "Source"
        owner            = "AWS"
        provider         = "S3"
        version          = "1"
        namespace        = "SourceVariables"
        output_artifacts = ["source_output"]

        configuration = {
          S3Bucket             = var.artifact_bucket_name
          S3ObjectKey          = action.value
          PollForSourceChanges = "false"
        }
      }
    }
  }

  dynamic "stage" {
    for_each = local.is_first_account ? [aws_codebuild_project.build[0].name] : []
    content {
      name = "Build"

      action {
        name            = "Build"
        category        = "Build"
        owner           = "AWS"
        provider        = "CodeBuild"
        version         = "1"
        namespace       = "BuildVariables"
        input_artifacts = ["source_output"]

        configuration = {
          ProjectName = stage.value
          EnvironmentVariables = jsonencode([
            { name = "SOURCE_REVISION", value = local.source_revision_variable, type = "PLAINTEXT" },
          ])
        }
      }
    }
  }

  stage {
    name = "Deploy"

    action {
      name            = "Deploy"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      namespace       = "DeployVariables"
      input_artifacts = local.deploy_input_artifacts

      configuration = merge(
        {
          ProjectName          = aws_codebuild_project.deploy.name
          EnvironmentVariables = jsonencode(local.deploy_action_variables)
        },
        # With more than one input CodeBuild must be told which is CODEBUILD_SRC_DIR.
        length(local.deploy_input_artifacts) > 1 ? { PrimarySource = "source_output" } : {}
      )
    }
  }

  dynamic "stage" {
    for_each = local.has_promotion ? [var.promotion] : []
    content {
      name = "Promote"

      action {
        name      = "Approve"
        category  = "Approval"
        owner     = "AWS"
        provider  = "Manual"
        version   = "1"
        run_order = 1

        configuration = merge(
          { CustomData = "Promote ${var.function_name} revision ${local.source_revision_variable} from ${var.environment} to ${stage.value.to}" },
          var.approval_sns_topic_arn == null ? {} : { NotificationArn = var.approval_sns_topic_arn }
        )
      }

      action {
        name            = "Promote"
        category        = "Invoke"
        owner           = "AWS"
        provider        = "Lambda"
        version         = "1"
        run_order       = 2
        namespace       = "PromoteVariables"
        input_artifacts = ["source_output"]
        role_arn        = stage.value.invoke_role_arn

        configuration = {
          FunctionName = stage.value.function_arn
          UserParameters = jsonencode({
            function = var.function_name
            from     = var.environment
            to       = stage.value.to
          })
        }
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.is_first_account || var.function_source != null
      error_message = "A later account (no source_connection) needs function_source: its drop key carries only the package, and the deploy needs the function's Terraform at the package's git revision."
    }

    precondition {
      condition     = !(local.is_first_account && var.function_source != null)
      error_message = "function_source is for later accounts only: the first account builds from source_connection, and its deploy already has that commit's Terraform."
    }

    # A connection belongs to one account; the pipeline and deploy roles here cannot use
    # another account's (a copy of the dev connection's ARN is the usual slip).
    precondition {
      condition     = local.source_connection_arn == null || try(split(":", local.source_connection_arn)[4] == local.account_id, false)
      error_message = "The connection (source_connection or function_source) must be one of this account's: create and confirm a connection in every account whose pipeline uses one."
    }
  }

  # Every policy of the pipeline role: the first execution starts as soon as the pipeline exists.
  depends_on = [
    aws_iam_role_policy.pipeline,
    aws_iam_role_policy.pipeline_connection,
    aws_iam_role_policy.pipeline_s3_source,
    aws_iam_role_policy.pipeline_promote,
    aws_iam_role_policy.pipeline_approval_notification,
  ]
}
