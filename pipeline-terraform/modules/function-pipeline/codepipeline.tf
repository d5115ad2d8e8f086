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
      input_artifacts = ["source_output"]

      configuration = {
        ProjectName          = aws_codebuild_project.deploy.name
        EnvironmentVariables = jsonencode(local.deploy_action_variables)
      }
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

  depends_on = [aws_iam_role_policy.pipeline]
}
