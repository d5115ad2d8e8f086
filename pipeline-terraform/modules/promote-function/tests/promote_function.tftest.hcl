# Plan-time checks of what an apply on an emulator cannot show: name rules, the invoke role per
# source environment, and SnapStart only when asked for. The provider is mocked.

mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { id = "us-east-1", name = "us-east-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  # Computed ARNs other resources validate (a mock's random strings are not ARNs).
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::111111111111:role/mock" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/mock" }
  }
  mock_resource "aws_lambda_function" {
    defaults = { arn = "arn:aws:lambda:us-east-1:111111111111:function:mock", version = "1" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:111111111111:mock" }
  }
  mock_resource "aws_lambda_alias" {
    defaults = { arn = "arn:aws:lambda:us-east-1:111111111111:function:mock:live" }
  }
}

variables {
  environment       = "ops"
  s3_bucket         = "acme-ops-artifacts"
  s3_key            = "artifact-promoter/promote-lambda.jar"
  s3_object_version = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
  environments = {
    dev = {
      account     = "222222222222"
      region      = "us-east-1"
      bucket      = "acme-dev-artifacts"
      role        = "arn:aws:iam::222222222222:role/artifact-promotion-dev"
      external_id = "0123456789abcdef0123456789abcdef"
    }
    stage = {
      account     = "333333333333"
      region      = "us-east-1"
      bucket      = "acme-stage-artifacts"
      role        = "arn:aws:iam::333333333333:role/artifact-promotion-stage"
      external_id = "fedcba9876543210fedcba9876543210"
    }
  }
  promotions = { dev = ["stage"] }
  pipeline_role_arns = {
    dev = ["arn:aws:iam::222222222222:role/artifact-pipelines/codepipeline/*"]
  }
}

run "one_invoke_role_per_source_environment_trusting_its_pipeline_roles_only" {
  command = apply

  assert {
    condition     = keys(aws_iam_role.pipeline_invoke) == ["dev"] && aws_iam_role.pipeline_invoke["dev"].name == "artifact-promoter-ops-invoke-dev"
    error_message = "Expected exactly one invoke role, for dev."
  }

  assert {
    condition = jsondecode(aws_iam_role.pipeline_invoke["dev"].assume_role_policy).Statement[0].Condition == {
      ArnLike = { "aws:PrincipalArn" = ["arn:aws:iam::222222222222:role/artifact-pipelines/codepipeline/*"] }
    }
    error_message = "The dev invoke role must trust dev's pipeline roles alone."
  }

  assert {
    condition     = output.pipeline_invoke_role_arns == { dev = "arn:aws:iam::111111111111:role/mock" }
    error_message = "pipeline_invoke_role_arns must map each source environment to its role."
  }
}

run "snap_start_is_absent_when_disabled" {
  command = plan

  variables {
    snap_start = false
  }

  # A static snap_start { apply_on = "None" } is never stored by Lambda: every plan would show a
  # change and publish a new version behind the live alias.
  assert {
    condition     = length(aws_lambda_function.this.snap_start) == 0
    error_message = "With snap_start = false the function must not declare a snap_start block."
  }
}

run "snap_start_on_published_versions_by_default" {
  command = plan

  # The handler primes itself for the snapshot (CRaC hooks): SnapStart is the default.
  assert {
    condition     = one(aws_lambda_function.this.snap_start).apply_on == "PublishedVersions"
    error_message = "By default (snap_start = true) SnapStart is on for published versions."
  }
}

run "invoke_role_for_an_environment_that_does_not_promote_is_refused" {
  command = plan

  variables {
    pipeline_role_arns = {
      stage = ["arn:aws:iam::333333333333:role/artifact-pipelines/codepipeline/*"]
    }
  }

  expect_failures = [var.pipeline_role_arns]
}

run "pattern_covering_every_role_of_an_account_is_refused" {
  command = plan

  variables {
    pipeline_role_arns = { dev = ["arn:aws:iam::222222222222:role/*"] }
  }

  expect_failures = [var.pipeline_role_arns]
}

run "function_name_too_long_for_the_invoke_role_is_refused" {
  command = plan

  variables {
    # <45>-ops-invoke-dev = 45 + 15 = 60 fits; 50 makes 65.
    function_name = "a2345678901234567890123456789012345678901234567890"
  }

  expect_failures = [var.function_name]
}

run "function_name_with_underscore_is_refused" {
  command = plan

  variables {
    function_name = "artifact_promoter"
  }

  expect_failures = [var.function_name]
}

run "promotion_config_renders_conditional_writes_true_by_default_and_no_provenance" {
  command = plan

  assert {
    condition     = jsondecode(aws_lambda_function.this.environment[0].variables.PROMOTION_CONFIG).environments.dev.conditionalWrites == true && !contains(keys(jsondecode(aws_lambda_function.this.environment[0].variables.PROMOTION_CONFIG)), "provenance")
    error_message = "conditionalWrites defaults to true (the artifact bucket refuses release writes without If-None-Match); no provenance unless given."
  }

  assert {
    condition     = length(aws_iam_role_policy.verify_provenance) == 0
    error_message = "No provenance, no kms:GetPublicKey."
  }
}

run "provenance_is_rendered_and_the_execution_role_reads_that_keys_public_key_only" {
  command = apply

  variables {
    environments = {
      dev = {
        account            = "222222222222"
        region             = "us-east-1"
        bucket             = "acme-dev-artifacts"
        role               = "arn:aws:iam::222222222222:role/artifact-promotion-dev"
        external_id        = "0123456789abcdef0123456789abcdef"
        conditional_writes = false
      }
      stage = {
        account     = "333333333333"
        region      = "us-east-1"
        bucket      = "acme-stage-artifacts"
        role        = "arn:aws:iam::333333333333:role/artifact-promotion-stage"
        external_id = "fedcba9876543210fedcba9876543210"
      }
    }
    provenance = {
      signing_key_arn = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      required        = true
    }
  }

  assert {
    condition = jsondecode(aws_lambda_function.this.environment[0].variables.PROMOTION_CONFIG).provenance == {
      signingKeyArn = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      required      = true
    }
    error_message = "PROMOTION_CONFIG must carry provenance in the promoter's shape."
  }

  assert {
    condition     = jsondecode(aws_lambda_function.this.environment[0].variables.PROMOTION_CONFIG).environments.dev.conditionalWrites == false && jsondecode(aws_lambda_function.this.environment[0].variables.PROMOTION_CONFIG).environments.stage.conditionalWrites == true
    error_message = "conditional_writes must be rendered per environment."
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.verify_provenance[0].policy).Statement == [{
      Sid      = "ReadProvenanceSigningPublicKey"
      Effect   = "Allow"
      Action   = "kms:GetPublicKey"
      Resource = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }]
    error_message = "The execution role may read the signing key's public key, nothing else of it."
  }
}

run "provenance_naming_an_alias_is_refused" {
  command = plan

  variables {
    provenance = {
      signing_key_arn = "arn:aws:kms:us-east-1:111111111111:alias/provenance"
      required        = true
    }
  }

  expect_failures = [var.provenance]
}
