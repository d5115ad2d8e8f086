# Plan-time checks of what an apply on an emulator cannot show: moto stores a key policy but does
# not evaluate it as KMS does, so who may sign (and how) is checked on the rendered policy here.
# The provider is mocked.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  environment        = "ops"
  name_prefix        = "acme"
  signer_role_arns   = ["arn:aws:iam::222222222222:role/artifact-pipelines/*-build"]
  verifier_role_arns = ["arn:aws:iam::111111111111:role/artifact-promoter-ops-execution"]
}

run "only_the_build_roles_sign_and_only_ecdsa_over_raw_messages" {
  command = apply

  assert {
    condition     = aws_kms_key.this.key_usage == "SIGN_VERIFY" && aws_kms_key.this.customer_master_key_spec == "ECC_NIST_P256"
    error_message = "An asymmetric P-256 signing key (the promoter verifies ECDSA_SHA_256)."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/acme-ops-provenance-signing"
    error_message = "The alias is alias/<name_prefix>-<environment>-provenance-signing."
  }

  # With the account root allowed to sign, any principal of ops whose identity policy allows
  # kms:Sign could vouch for a build it never ran.
  assert {
    condition = alltrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      !contains(flatten([s.Action]), "kms:Sign") || s.Sid == "SignProvenanceFromTheBuild"
    ])
    error_message = "kms:Sign is granted by one statement only."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      try(
        s.Action == "kms:Sign"
        && s.Principal.AWS == ["arn:aws:iam::222222222222:root"]
        && s.Condition.ArnLike["aws:PrincipalArn"] == ["arn:aws:iam::222222222222:role/artifact-pipelines/*-build"]
        && s.Condition.StringEquals["kms:SigningAlgorithm"] == "ECDSA_SHA_256"
        && s.Condition.StringEquals["kms:MessageType"] == "RAW",
        false
      )
    ])
    error_message = "Signing is for the build roles (by aws:PrincipalArn), with ECDSA_SHA_256 over RAW messages only."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(aws_kms_key.this.policy).Statement :
      try(
        toset(s.Action) == toset(["kms:DescribeKey", "kms:GetPublicKey", "kms:Verify"])
        && s.Principal.AWS == ["arn:aws:iam::111111111111:root"]
        && s.Condition.ArnLike["aws:PrincipalArn"] == ["arn:aws:iam::111111111111:role/artifact-promoter-ops-execution"],
        false
      )
    ])
    error_message = "The verifiers may read the public key and verify, nothing else."
  }
}

run "no_signer_is_refused" {
  command = plan

  variables {
    signer_role_arns = []
  }

  expect_failures = [var.signer_role_arns]
}

run "account_root_as_signer_is_refused" {
  command = plan

  variables {
    signer_role_arns = ["arn:aws:iam::222222222222:root"]
  }

  expect_failures = [var.signer_role_arns]
}

run "user_as_verifier_is_refused" {
  command = plan

  variables {
    verifier_role_arns = ["arn:aws:iam::111111111111:user/alice"]
  }

  expect_failures = [var.verifier_role_arns]
}

run "deletion_window_outside_kms_limits_is_refused" {
  command = plan

  variables {
    deletion_window_in_days = 6
  }

  expect_failures = [var.deletion_window_in_days]
}
