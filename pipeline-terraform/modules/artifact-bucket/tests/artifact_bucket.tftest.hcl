# Plan-time checks of what an apply on an emulator cannot show: the name rules, the
# preconditions, and the statements of the bucket and key policies that moto stores but does not
# enforce as S3 and KMS would (conditional writes, TLS only, the readers' ArnLike narrowing).
# The provider is mocked.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "222222222222" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  # Computed ARNs the policies are rendered with (a mock's random strings are not ARNs).
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::acme-dev-artifacts" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
}

variables {
  environment        = "dev"
  name_prefix        = "acme"
  promotion_role_arn = "arn:aws:iam::222222222222:role/artifact-promotion-dev"
}

run "release_writes_need_if_none_match_and_every_request_tls" {
  command = apply

  assert {
    condition     = aws_s3_bucket.this.bucket == "acme-dev-artifacts" && aws_kms_alias.this[0].name == "alias/acme-dev-artifacts"
    error_message = "The bucket is <name_prefix>-<environment>-artifacts and its key's alias names it."
  }

  # Without this, a second write at a release key would replace a release: releases are
  # immutable only because S3 refuses a PutObject (and CopyObject) there without If-None-Match.
  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      try(
        s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:PutObject"
        && s.Resource == "arn:aws:s3:::acme-dev-artifacts/releases/*"
        && try(s.Condition.Null["s3:if-none-match"] == "true", false),
        false
      )
    ])
    error_message = "The bucket policy must deny PutObject on releases/* without s3:if-none-match."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      try(
        s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*"
        && toset(s.Resource) == toset(["arn:aws:s3:::acme-dev-artifacts", "arn:aws:s3:::acme-dev-artifacts/*"])
        && try(s.Condition.Bool["aws:SecureTransport"] == "false", false),
        false
      )
    ])
    error_message = "The bucket policy must deny every request to the bucket and its objects that is not over TLS."
  }

  # Uploads are encrypted with this bucket's key and no other (the promoter names it).
  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      try(
        s.Effect == "Deny" && s.Action == "s3:PutObject"
        && try(s.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption-aws-kms-key-id"] == aws_kms_key.this[0].arn, false),
        false
      )
    ])
    error_message = "The bucket policy must deny uploads that name another KMS key."
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.this[0].arn && output.kms_key_arn == aws_kms_key.this[0].arn
    error_message = "Default encryption and the kms_key_arn output are the bucket's own key."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "The bucket is versioned: drop-key versions are what the pipelines deploy."
  }

  assert {
    condition     = output.releases_prefix == "releases/" && output.drop_prefix == "drop/"
    error_message = "The key layout the promoter and the pipelines rely on."
  }
}

run "object_lock_only_when_a_retention_is_set" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_object_lock_configuration.this) == 0 && output.object_lock_retention_days == null
    error_message = "Object Lock cannot be turned off once on: it stays off unless asked for."
  }
}

run "object_lock_in_governance_mode_with_the_given_retention" {
  command = plan

  variables {
    object_lock_retention_days = 30
  }

  assert {
    condition     = one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention[0].mode == "GOVERNANCE" && one(aws_s3_bucket_object_lock_configuration.this[0].rule).default_retention[0].days == 30
    error_message = "Object Lock is GOVERNANCE (the promotion role may bypass it on drop/* only) with the given days."
  }

  assert {
    condition     = output.object_lock_retention_days == 30
    error_message = "The output reports the retention."
  }
}

run "key_users_are_narrowed_by_principal_arn" {
  command = apply

  variables {
    key_user_arns = ["arn:aws:iam::222222222222:role/artifact-pipelines/*"]
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.this[0].policy).Statement :
      try(
        s.Sid == "UseKeyForArtifacts" && s.Principal.AWS == "arn:aws:iam::222222222222:root"
        && toset(s.Condition.ArnLike["aws:PrincipalArn"]) == toset(["arn:aws:iam::222222222222:role/artifact-promotion-dev", "arn:aws:iam::222222222222:role/artifact-pipelines/*"]),
        false
      )
    ])
    error_message = "Only the promotion role and the key users may use the key, by aws:PrincipalArn."
  }

  assert {
    condition     = !anytrue([for s in jsondecode(aws_kms_key.this[0].policy).Statement : s.Sid == "DecryptReleasesForNextEnvironment"])
    error_message = "Without readers no other account may decrypt."
  }

  assert {
    condition     = !anytrue([for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement : s.Effect == "Allow"])
    error_message = "Without readers the bucket policy grants nothing (identity policies of this account do)."
  }
}

run "readers_get_releases_only_through_their_role_arns" {
  command = apply

  variables {
    reader_role_arns = ["arn:aws:iam::333333333333:role/artifact-promotion-stage"]
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      try(
        s.Effect == "Allow" && s.Principal.AWS == ["arn:aws:iam::333333333333:root"]
        && s.Resource == "arn:aws:s3:::acme-dev-artifacts/releases/*"
        && s.Condition.ArnLike["aws:PrincipalArn"] == ["arn:aws:iam::333333333333:role/artifact-promotion-stage"]
        && length([for a in s.Action : a if !startswith(a, "s3:Get")]) == 0,
        false
      )
    ])
    error_message = "The next environment's role may read releases/* only, named by aws:PrincipalArn."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.this[0].policy).Statement :
      try(
        s.Sid == "DecryptReleasesForNextEnvironment" && s.Principal.AWS == ["arn:aws:iam::333333333333:root"]
        && toset(s.Action) == toset(["kms:Decrypt", "kms:DescribeKey"])
        && s.Condition.ArnLike["aws:PrincipalArn"] == ["arn:aws:iam::333333333333:role/artifact-promotion-stage"],
        false
      )
    ])
    error_message = "The reader may decrypt (for the server-side copy) and nothing more."
  }
}

run "existing_key_without_its_arn_is_refused" {
  command = plan

  variables {
    create_kms_key = false
  }

  expect_failures = [aws_s3_bucket.this]
}

run "existing_key_is_used_as_given" {
  command = plan

  variables {
    create_kms_key = false
    kms_key_arn    = "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = length(aws_kms_key.this) == 0 && length(aws_kms_alias.this) == 0 && output.kms_key_arn == "arn:aws:kms:us-east-1:222222222222:key/5678abcd-12ab-34cd-56ef-1234567890ab"
    error_message = "With create_kms_key = false no key is created and the given one is used."
  }
}

run "a_key_nobody_could_use_is_refused" {
  command = plan

  variables {
    promotion_role_arn = null
  }

  expect_failures = [aws_kms_key.this]
}

run "environment_outside_bucket_name_characters_is_refused" {
  command = plan

  variables {
    environment = "Stage_1"
  }

  expect_failures = [var.environment]
}

run "name_prefix_outside_bucket_name_characters_is_refused" {
  command = plan

  variables {
    name_prefix = "-acme"
  }

  expect_failures = [var.name_prefix]
}

run "bucket_name_over_63_characters_is_refused" {
  command = plan

  variables {
    # 39 + 1 + 14 + 10 = 64 characters in all.
    name_prefix = "acme-platform-engineering-shared-tools1"
    environment = "preproduction1"
  }

  expect_failures = [var.name_prefix]
}

run "bucket_name_of_63_characters_is_accepted" {
  command = plan

  variables {
    # 38 + 1 + 14 + 10.
    name_prefix = "acme-platform-engineering-shared-tools"
    environment = "preproduction1"
  }

  assert {
    condition     = length(aws_s3_bucket.this.bucket) == 63
    error_message = "63 characters is S3's limit, and allowed."
  }
}

run "reader_pattern_for_every_role_of_an_account_is_refused" {
  command = plan

  variables {
    reader_role_arns = ["arn:aws:iam::333333333333:role/*"]
  }

  expect_failures = [var.reader_role_arns]
}

run "account_root_as_promotion_role_is_refused" {
  command = plan

  variables {
    promotion_role_arn = "arn:aws:iam::222222222222:root"
  }

  expect_failures = [var.promotion_role_arn]
}

run "key_user_outside_roles_is_refused" {
  command = plan

  variables {
    key_user_arns = ["arn:aws:iam::222222222222:user/alice"]
  }

  expect_failures = [var.key_user_arns]
}

run "kms_key_arn_that_is_an_alias_is_refused" {
  command = plan

  variables {
    create_kms_key = false
    kms_key_arn    = "arn:aws:kms:us-east-1:222222222222:alias/acme-dev-artifacts"
  }

  expect_failures = [var.kms_key_arn]
}

run "fractional_retention_is_refused" {
  command = plan

  variables {
    object_lock_retention_days = 1.5
  }

  expect_failures = [var.object_lock_retention_days]
}

run "zero_retention_is_refused" {
  command = plan

  variables {
    object_lock_retention_days = 0
  }

  expect_failures = [var.object_lock_retention_days]
}
