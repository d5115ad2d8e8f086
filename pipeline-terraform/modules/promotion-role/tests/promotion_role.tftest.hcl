# Plan-time checks of what an apply on an emulator cannot show: the name rules, and the
# statements that keep the promotion role narrow (moto evaluates trust conditions and resource
# ARNs only in part). The provider is mocked.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "333333333333" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::333333333333:role/artifact-promotion-stage" }
  }
}

variables {
  environment       = "stage"
  bucket_arn        = "arn:aws:s3:::acme-stage-artifacts"
  kms_key_arn       = "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  promoter_role_arn = "arn:aws:iam::111111111111:role/artifact-promoter-ops-execution"
  external_id       = "stage-external-id-0123456789"
  source_environments = {
    dev = {
      bucket_arn  = "arn:aws:s3:::acme-dev-artifacts"
      kms_key_arn = "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}

run "trusts_exactly_the_promote_functions_role_with_the_external_id" {
  command = apply

  assert {
    condition     = aws_iam_role.this.name == "artifact-promotion-stage" && output.role_name == "artifact-promotion-stage"
    error_message = "The role is <name_prefix>-<environment>."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role.this.assume_role_policy).Statement :
      s.Effect == "Allow" && s.Principal == { AWS = "arn:aws:iam::111111111111:role/artifact-promoter-ops-execution" }
    ])
    error_message = "Every trust statement names the promote function's execution role and no other principal (no account root, no wildcard)."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role.this.assume_role_policy).Statement :
      try(s.Action == "sts:AssumeRole" && s.Condition.StringEquals["sts:ExternalId"] == "stage-external-id-0123456789", false)
    ])
    error_message = "AssumeRole needs the configured ExternalId."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role.this.assume_role_policy).Statement : s.Action
    ])) == toset(["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"])
    error_message = "The trust policy allows assuming the role with a source identity and session tags, nothing else."
  }
}

run "releases_cannot_be_deleted_or_their_retention_bypassed" {
  command = apply

  # A release is immutable: the role may delete (and bypass governance retention on) its own
  # drop-key versions only, never a version under releases/.
  assert {
    condition = !anytrue(flatten([
      for s in jsondecode(aws_iam_role_policy.access.policy).Statement : [
        for a in flatten([s.Action]) :
        contains(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutLifecycleConfiguration", "s3:*"], a)
        && anytrue([for r in flatten([s.Resource]) : !endswith(r, "/drop/*")])
      ]
    ]))
    error_message = "No delete, retention bypass or lifecycle permission outside drop/*."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.access.policy).Statement :
      s.Resource == "arn:aws:s3:::acme-stage-artifacts/drop/*" && contains(flatten([s.Action]), "s3:DeleteObjectVersion")
    ])
    error_message = "The role may take back its own duplicate drop-key versions."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.access.policy).Statement : [
        for r in flatten([s.Resource]) :
        startswith(r, "arn:aws:s3:::acme-stage-artifacts") || r == "arn:aws:kms:us-east-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      ]
    ]))
    error_message = "The access policy covers this environment's bucket and key only."
  }
}

run "source_environments_are_read_only_on_their_releases" {
  command = apply

  assert {
    condition     = keys(aws_iam_role_policy.read_source) == ["dev"] && aws_iam_role_policy.read_source["dev"].name == "artifact-promotion-stage-read-dev"
    error_message = "One read policy per source environment."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.read_source["dev"].policy).Statement :
      (s.Resource == "arn:aws:s3:::acme-dev-artifacts/releases/*" && alltrue([for a in flatten([s.Action]) : startswith(a, "s3:Get")]))
      || (s.Resource == "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab" && s.Action == "kms:Decrypt")
    ])
    error_message = "A source environment's releases may be read and decrypted, nothing written, nothing else read."
  }
}

run "reports_jobs_of_this_environments_pipelines_only" {
  command = apply

  assert {
    condition = anytrue([
      for s in jsondecode(aws_iam_role_policy.pipeline_jobs[0].policy).Statement :
      s.Resource == "arn:aws:codepipeline:*:333333333333:*-stage"
    ])
    error_message = "Approvals are read from this account's <function>-<environment> pipelines only."
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.read_deployed_code[0].policy).Statement[0].Resource == ["arn:aws:lambda:*:333333333333:function:*-stage"]
    error_message = "The default deployed_function_pattern reads the code hash of <function>-<environment> functions only."
  }
}

run "no_pipeline_job_access_and_no_deployed_code_when_turned_off" {
  command = plan

  variables {
    create_pipeline_job_access = false
    deployed_function_arns     = []
  }

  assert {
    condition     = length(aws_iam_role_policy.pipeline_jobs) == 0 && length(aws_iam_role_policy.read_deployed_code) == 0
    error_message = "Both grants are optional."
  }
}

run "environment_outside_name_characters_is_refused" {
  command = plan

  variables {
    environment = "Stage 1"
  }

  expect_failures = [var.environment]
}

run "name_prefix_outside_iam_characters_is_refused" {
  command = plan

  variables {
    name_prefix = "artifact/promotion"
  }

  expect_failures = [var.name_prefix]
}

run "role_name_over_64_characters_is_refused" {
  command = plan

  variables {
    # 60 + 1 + 5 = 66 characters.
    name_prefix = "artifact-promotion-for-the-platform-teams-orders-and-billing"
  }

  expect_failures = [var.name_prefix]
}

run "account_root_as_promoter_is_refused" {
  command = plan

  variables {
    promoter_role_arn = "arn:aws:iam::111111111111:root"
  }

  expect_failures = [var.promoter_role_arn]
}

run "guessable_external_id_is_refused" {
  command = plan

  variables {
    external_id = "stage"
  }

  expect_failures = [var.external_id]
}

run "external_id_outside_sts_characters_is_refused" {
  command = plan

  variables {
    external_id = "stage external id 0123456789"
  }

  expect_failures = [var.external_id]
}

run "bucket_name_instead_of_arn_is_refused" {
  command = plan

  variables {
    bucket_arn = "acme-stage-artifacts"
  }

  expect_failures = [var.bucket_arn]
}

run "key_alias_instead_of_key_arn_is_refused" {
  command = plan

  variables {
    kms_key_arn = "alias/acme-stage-artifacts"
  }

  expect_failures = [var.kms_key_arn]
}

run "source_environment_named_outside_environment_characters_is_refused" {
  command = plan

  variables {
    source_environments = {
      "dev account" = {
        bucket_arn  = "arn:aws:s3:::acme-dev-artifacts"
        kms_key_arn = "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
      }
    }
  }

  expect_failures = [var.source_environments]
}

run "deployed_function_pattern_without_function_is_refused" {
  command = plan

  variables {
    deployed_function_pattern = "orders-{environment}"
  }

  expect_failures = [var.deployed_function_pattern]
}
