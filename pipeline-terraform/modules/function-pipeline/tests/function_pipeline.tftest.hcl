# Plan-time checks of what an apply on an emulator cannot show: name rules, preconditions and
# the create_artifact_store_bucket = false path. No AWS account is needed: the provider is mocked.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "222222222222" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-east-1", name = "us-east-1" }
  }
  # Computed ARNs other resources validate (a mock's random strings are not ARNs).
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::222222222222:role/artifact-pipelines/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/codebuild/mock" }
  }
  mock_resource "aws_codebuild_project" {
    defaults = { arn = "arn:aws:codebuild:us-east-1:222222222222:project/mock" }
  }
  mock_resource "aws_codepipeline" {
    defaults = { arn = "arn:aws:codepipeline:us-east-1:222222222222:mock" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::mock" }
  }
}

variables {
  environment          = "dev"
  function_name        = "orders-api"
  name_prefix          = "acme"
  artifact_bucket_name = "acme-dev-artifacts"
  kms_key_arn          = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  terraform_backend = {
    bucket      = "acme-dev-tfstate"
    region      = "us-east-1"
    kms_key_arn = "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
  }
  source_connection = {
    connection_arn = "arn:aws:codeconnections:us-east-1:222222222222:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
    repository     = "acme/orders-api"
  }
  buildspec_tools = {
    bucket              = "acme-ops-artifacts"
    bundle_key          = "releases/artifact-promoter/1.0.0/buildspec-tools.zip"
    bundle_sha256       = "1111111111111111111111111111111111111111111111111111111111111111"
    promoter_cli_key    = "releases/artifact-promoter/1.0.0/artifact-promoter.jar"
    promoter_cli_sha256 = "2222222222222222222222222222222222222222222222222222222222222222"
    kms_key_arn         = "arn:aws:kms:us-east-1:111111111111:key/9999abcd-12ab-34cd-56ef-1234567890ab"
  }
  promotion = {
    to              = "stage"
    function_arn    = "arn:aws:lambda:us-east-1:111111111111:function:artifact-promoter-ops:live"
    invoke_role_arn = "arn:aws:iam::111111111111:role/artifact-promoter-ops-invoke-dev"
  }
}

run "first_account_projects_hold_every_variable_the_buildspecs_read" {
  command = apply

  assert {
    condition = {
      for v in aws_codebuild_project.build[0].environment[0].environment_variable : v.name => v.value
      } == {
      PACKAGE_BUCKET         = "acme-dev-artifacts"
      PACKAGE_KEY            = "drop/orders-api.zip"
      PACKAGE_KMS_KEY_ARN    = var.kms_key_arn
      FUNCTION_NAME          = "orders-api"
      DEPLOY_FUNCTION_NAME   = "orders-api-dev"
      TARGET_ENV             = "dev"
      FUNCTION_DIR           = "."
      BUILDSPEC_TOOLS_S3_URI = "s3://acme-ops-artifacts/releases/artifact-promoter/1.0.0/buildspec-tools.zip"
      BUILDSPEC_TOOLS_SHA256 = "1111111111111111111111111111111111111111111111111111111111111111"
      PROMOTER_CLI_S3_URI    = "s3://acme-ops-artifacts/releases/artifact-promoter/1.0.0/artifact-promoter.jar"
      PROMOTER_CLI_SHA256    = "2222222222222222222222222222222222222222222222222222222222222222"
    }
    error_message = "The build project's environment is not exactly what build.yml needs."
  }

  assert {
    condition = alltrue([
      for name in ["BUILDSPEC_TOOLS_S3_URI", "BUILDSPEC_TOOLS_SHA256", "PROMOTER_CLI_S3_URI", "PROMOTER_CLI_SHA256", "TERRAFORM_DOWNLOAD_BASE_URL", "TF_BACKEND_BUCKET", "TF_BACKEND_KEY", "TF_BACKEND_REGION", "TF_BACKEND_KMS_KEY_ID", "TF_BACKEND_USE_LOCKFILE"] :
      contains([for v in aws_codebuild_project.deploy.environment[0].environment_variable : v.name], name)
    ])
    error_message = "The deploy project lacks a variable deploy.yml needs."
  }

  assert {
    condition     = aws_codebuild_project.build[0].source[0].buildspec == file("${path.module}/buildspecs/build.yml") && aws_codebuild_project.deploy.source[0].buildspec == file("${path.module}/buildspecs/deploy.yml")
    error_message = "The projects must run the module's own buildspecs."
  }

  assert {
    condition     = aws_iam_role.pipeline.path == "/artifact-pipelines/codepipeline/" && aws_iam_role.deploy.path == "/artifact-pipelines/" && aws_iam_role.build[0].path == "/artifact-pipelines/"
    error_message = "Pipeline roles need a path of their own (the invoke role trusts that path alone)."
  }

  assert {
    condition     = output.pipeline_role_arn_pattern == "arn:aws:iam::222222222222:role/artifact-pipelines/codepipeline/*"
    error_message = "pipeline_role_arn_pattern must match pipeline roles only."
  }

  assert {
    condition = alltrue([
      for role in ["build", "deploy"] : jsondecode(aws_iam_role_policy.buildspec_tools[role].policy).Statement == [
        {
          Sid      = "ReadBuildspecToolsAndPromoterCli"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion"]
          Resource = ["arn:aws:s3:::acme-ops-artifacts/releases/artifact-promoter/1.0.0/buildspec-tools.zip", "arn:aws:s3:::acme-ops-artifacts/releases/artifact-promoter/1.0.0/artifact-promoter.jar"]
        },
        {
          Sid      = "DecryptBuildspecTools"
          Effect   = "Allow"
          Action   = "kms:Decrypt"
          Resource = var.buildspec_tools.kms_key_arn
        },
      ]
    ])
    error_message = "Build and deploy roles must read exactly the two tool objects and decrypt them."
  }

  assert {
    condition     = length(aws_iam_role_policy.pipeline_approval_notification) == 0
    error_message = "No topic, no sns:Publish."
  }
}

run "approval_notification_lets_the_pipeline_role_publish_to_the_topic" {
  command = apply

  variables {
    approval_sns_topic_arn = "arn:aws:sns:us-east-1:222222222222:approvals"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.pipeline_approval_notification[0].policy).Statement[0].Action == "sns:Publish" && jsondecode(aws_iam_role_policy.pipeline_approval_notification[0].policy).Statement[0].Resource == "arn:aws:sns:us-east-1:222222222222:approvals"
    error_message = "NotificationArn on the approval needs sns:Publish on that topic for the pipeline role."
  }
}

run "lock_table_backend_lets_dynamodb_use_the_state_key" {
  command = apply

  variables {
    terraform_backend = {
      bucket         = "acme-dev-tfstate"
      region         = "us-east-1"
      kms_key_arn    = "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
      dynamodb_table = "acme-dev-tf-locks"
    }
  }

  assert {
    condition     = contains(jsondecode(aws_iam_role_policy.deploy_lock_table[0].policy).Statement[1].Action, "kms:CreateGrant")
    error_message = "The deploy role needs kms:CreateGrant on the state key for a KMS-encrypted lock table."
  }
}

run "existing_artifact_store_bucket_is_used_and_none_created" {
  command = apply

  variables {
    create_artifact_store_bucket = false
    artifact_store_bucket_name   = "acme-shared-pipeline-artifacts"
  }

  assert {
    condition     = length(aws_s3_bucket.artifact_store) == 0 && one(aws_codepipeline.this.artifact_store).location == "acme-shared-pipeline-artifacts"
    error_message = "With create_artifact_store_bucket = false the pipeline must use artifact_store_bucket_name."
  }

  assert {
    condition     = output.artifact_store_bucket_name == "acme-shared-pipeline-artifacts"
    error_message = "The output must name the bucket in use."
  }
}

run "no_artifact_store_bucket_at_all_is_refused" {
  command = plan

  variables {
    create_artifact_store_bucket = false
  }

  expect_failures = [var.artifact_store_bucket_name]
}

run "function_name_with_underscore_is_refused" {
  command = plan

  variables {
    function_name = "orders_api"
  }

  expect_failures = [var.function_name]
}

run "function_name_too_long_for_the_pipeline_role_is_refused" {
  command = plan

  variables {
    # 50 + "-dev-pipeline" = 63 would fit IAM; 52 makes 65.
    function_name                = "a234567890123456789012345678901234567890123456789012"
    create_artifact_store_bucket = false
    artifact_store_bucket_name   = "acme-shared-pipeline-artifacts"
  }

  expect_failures = [var.function_name]
}

run "function_name_too_long_for_the_artifact_store_bucket_is_refused" {
  command = plan

  variables {
    # acme-<45>-dev-pipeline = 4 + 1 + 45 + 13 = 63 fits S3; 46 makes 64. The role still fits.
    function_name = "a23456789012345678901234567890123456789012345x"
  }

  expect_failures = [var.function_name]
}

run "longest_function_name_that_fits_every_name_is_accepted" {
  command = plan

  variables {
    function_name = "a23456789012345678901234567890123456789012345"
  }
}

run "later_account_without_function_source_is_refused" {
  command = plan

  variables {
    environment          = "stage"
    artifact_bucket_name = "acme-stage-artifacts"
    source_connection    = null
  }

  expect_failures = [aws_codepipeline.this]
}

run "connection_of_another_account_is_refused" {
  command = plan

  variables {
    source_connection = {
      connection_arn = "arn:aws:codeconnections:us-east-1:333333333333:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
      repository     = "acme/orders-api"
    }
  }

  expect_failures = [aws_codepipeline.this]
}

run "later_account_deploy_gets_the_function_source_and_no_build" {
  command = apply

  variables {
    environment          = "stage"
    artifact_bucket_name = "acme-stage-artifacts"
    source_connection    = null
    function_source = {
      connection_arn = "arn:aws:codeconnections:us-east-1:222222222222:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
      repository     = "acme/orders-api"
    }
  }

  assert {
    condition     = length(aws_codebuild_project.build) == 0 && length(aws_iam_role_policy.buildspec_tools) == 1 && output.build_environment_variables == null
    error_message = "Later accounts have no build project; only the deploy role reads the tools."
  }
}

run "tools_checksum_that_is_not_sha256_hex_is_refused" {
  command = plan

  variables {
    buildspec_tools = {
      bucket              = "acme-ops-artifacts"
      bundle_key          = "releases/artifact-promoter/1.0.0/buildspec-tools.zip"
      bundle_sha256       = "sha256:1111"
      promoter_cli_key    = "releases/artifact-promoter/1.0.0/artifact-promoter.jar"
      promoter_cli_sha256 = "2222222222222222222222222222222222222222222222222222222222222222"
    }
  }

  expect_failures = [var.buildspec_tools]
}

run "no_provenance_no_grant_and_no_key_variable" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.build_sign_provenance) == 0 && !contains([for v in aws_codebuild_project.build[0].environment[0].environment_variable : v.name], "PROMOTION_SIGNING_KEY_ARN")
    error_message = "Without provenance the build role gets no kms:Sign and the project no PROMOTION_SIGNING_KEY_ARN."
  }
}

run "signing_key_lets_the_build_role_sign_with_that_key_only_and_tells_publish" {
  command = apply

  variables {
    provenance = { signing_key_arn = "arn:aws:kms:us-east-1:111111111111:key/abcd1234-12ab-34cd-56ef-1234567890ab" }
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.build_sign_provenance[0].policy).Statement == [{
      Sid      = "SignProvenance"
      Effect   = "Allow"
      Action   = "kms:Sign"
      Resource = var.provenance.signing_key_arn
      Condition = {
        StringEquals = { "kms:SigningAlgorithm" = "ECDSA_SHA_256", "kms:MessageType" = "RAW" }
      }
    }]
    error_message = "The build role may sign with the signing key alone, ECDSA_SHA_256 over RAW messages."
  }

  assert {
    condition     = { for v in aws_codebuild_project.build[0].environment[0].environment_variable : v.name => v.value }["PROMOTION_SIGNING_KEY_ARN"] == var.provenance.signing_key_arn
    error_message = "The build project must tell publish-package.sh the signing key."
  }

  assert {
    condition     = output.build_role_arn == aws_iam_role.build[0].arn
    error_message = "build_role_arn names the role that publishes (signing-key's signer)."
  }
}

run "signing_key_in_a_later_account_grants_nothing" {
  command = plan

  variables {
    source_connection = null
    function_source = {
      connection_arn = "arn:aws:codeconnections:us-east-1:222222222222:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
      repository     = "acme/orders-api"
    }
    provenance = { signing_key_arn = "arn:aws:kms:us-east-1:111111111111:key/abcd1234-12ab-34cd-56ef-1234567890ab" }
  }

  assert {
    condition     = length(aws_iam_role_policy.build_sign_provenance) == 0
    error_message = "Only the first account builds, so only it signs."
  }
}

run "signing_key_alias_is_refused" {
  command = plan

  variables {
    provenance = { signing_key_arn = "arn:aws:kms:us-east-1:111111111111:alias/provenance" }
  }

  expect_failures = [var.provenance]
}

run "deploy_terraform_variables_become_tf_var_on_the_deploy_project_only" {
  command = apply

  variables {
    deploy_terraform_variables = {
      execution_role_permissions_boundary = "arn:aws:iam::222222222222:policy/orders-api-dev-execution-boundary"
    }
  }

  assert {
    condition = {
      for v in aws_codebuild_project.deploy.environment[0].environment_variable : v.name => v.value
    }["TF_VAR_execution_role_permissions_boundary"] == "arn:aws:iam::222222222222:policy/orders-api-dev-execution-boundary"
    error_message = "Each deploy_terraform_variables entry is TF_VAR_<name> on the deploy project."
  }

  assert {
    condition     = !anytrue([for v in aws_codebuild_project.build[0].environment[0].environment_variable : startswith(v.name, "TF_VAR_")])
    error_message = "The build project runs no Terraform: it gets none of them."
  }
}

run "deploy_terraform_variable_the_deploy_sets_itself_is_refused" {
  command = plan

  variables {
    deploy_terraform_variables = { package_version_id = "v1" }
  }

  expect_failures = [var.deploy_terraform_variables]
}

run "deploy_terraform_variable_that_is_not_a_variable_name_is_refused" {
  command = plan

  variables {
    deploy_terraform_variables = { "1st boundary" = "x" }
  }

  expect_failures = [var.deploy_terraform_variables]
}
