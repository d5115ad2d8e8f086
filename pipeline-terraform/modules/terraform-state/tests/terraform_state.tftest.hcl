# Plan-time checks: the lock table can use the state key, and a missing key is refused before
# anything is created. The provider is mocked.

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
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }
}

variables {
  environment = "dev"
  name_prefix = "acme"
}

run "state_key_lets_dynamodb_create_grants_for_the_lock_table" {
  command = apply

  variables {
    create_lock_table = true
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_kms_key.this[0].policy).Statement :
      try(statement.Action == "kms:CreateGrant" && statement.Condition.StringEquals["kms:ViaService"] == "dynamodb.us-east-1.amazonaws.com" && statement.Condition.Bool["kms:GrantIsForAWSResource"] == "true", false)
    ])
    error_message = "A KMS-encrypted DynamoDB lock table needs kms:CreateGrant through DynamoDB on the state key."
  }

  assert {
    condition     = output.backend_environment_variables.TF_BACKEND_DYNAMODB_TABLE == "acme-dev-tf-locks" && output.backend.region == "us-east-1"
    error_message = "The backend settings must name the lock table and the region."
  }
}

run "native_locking_by_default" {
  command = apply

  assert {
    condition     = output.backend_environment_variables.TF_BACKEND_USE_LOCKFILE == "true" && length(aws_dynamodb_table.lock) == 0
    error_message = "Without a lock table the deploys use S3 native locking."
  }
}

run "existing_key_missing_is_refused" {
  command = plan

  variables {
    create_kms_key = false
  }

  expect_failures = [aws_s3_bucket.this]
}
