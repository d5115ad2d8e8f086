variable "partition" {
  type        = string
  description = "AWS partition of the four accounts (aws, aws-cn, aws-us-gov): the providers' assume_role ARNs need it before any data source can be read."
  default     = "aws"

  validation {
    condition     = can(regex("^aws(-[a-z]+)*$", var.partition))
    error_message = "partition must be an AWS partition name such as aws, aws-cn or aws-us-gov."
  }
}

variable "region" {
  type        = string
  description = "Region of every account's resources."
  default     = "us-east-1"
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique bucket names, e.g. \"acme\"."
}

variable "ops_account_id" {
  type        = string
  description = "Account that runs the promote function."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.ops_account_id))
    error_message = "ops_account_id must be a 12-digit AWS account id."
  }
}

variable "dev_account_id" {
  type        = string
  description = "Account of the dev environment (builds from the repository)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.dev_account_id))
    error_message = "dev_account_id must be a 12-digit AWS account id."
  }
}

variable "stage_account_id" {
  type        = string
  description = "Account of the stage environment."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.stage_account_id))
    error_message = "stage_account_id must be a 12-digit AWS account id."
  }
}

variable "prod_account_id" {
  type        = string
  description = "Account of the prod environment."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.prod_account_id))
    error_message = "prod_account_id must be a 12-digit AWS account id."
  }
}

variable "deploy_role_name" {
  type        = string
  description = "Role that Terraform assumes in every account (it must exist in all four and trust the identity running Terraform)."
  default     = "terraform-deploy"
}

variable "function_name" {
  type        = string
  description = "The sample function that gets a pipeline in dev, stage and prod."
  default     = "orders-api"
}

variable "source_connection_arn" {
  type        = string
  description = "CodeConnections connection in the DEV account, already confirmed (status AVAILABLE)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/.+$", var.source_connection_arn))
    error_message = "source_connection_arn must be a connection ARN."
  }
}

variable "stage_source_connection_arn" {
  type        = string
  description = "CodeConnections connection in the STAGE account, confirmed (AVAILABLE), to the same repository: the stage deploy clones the function's Terraform through it (a connection cannot be used from another account)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/.+$", var.stage_source_connection_arn))
    error_message = "stage_source_connection_arn must be a connection ARN."
  }
}

variable "prod_source_connection_arn" {
  type        = string
  description = "CodeConnections connection in the PROD account, confirmed (AVAILABLE), to the same repository: the prod deploy clones the function's Terraform through it."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/.+$", var.prod_source_connection_arn))
    error_message = "prod_source_connection_arn must be a connection ARN."
  }
}

variable "repository" {
  type        = string
  description = "Repository of the function, as owner/name."
}

variable "branch" {
  type        = string
  description = "Branch the dev pipeline builds; stage and prod clone the same branch for the function's Terraform (the promoted commit must be on it)."
  default     = "main"
}

variable "promoter_package_bucket" {
  type        = string
  description = "Bucket in the ops account holding the promote function's package (bootstrap output package_bucket_name)."
}

variable "promoter_package_key" {
  type        = string
  description = "Key of the promote function's package (uploaded before apply)."
  default     = "artifact-promoter/promote-lambda.jar"
}

variable "promoter_package_kms_key_arn" {
  type        = string
  description = "KMS key of the ops package bucket (bootstrap output package_kms_key_arn): the build and deploy roles decrypt the buildspec tools and the CLI with it."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.promoter_package_kms_key_arn))
    error_message = "promoter_package_kms_key_arn must be a KMS key ARN."
  }
}

variable "artifact_promoter_version" {
  type        = string
  description = "Release of this repository whose buildspec tools and CLI the pipelines run: they are read from releases/artifact-promoter/<version>/ in the package bucket (buildspecs/publish-tools.sh puts them there)."

  validation {
    condition     = can(regex("^[0-9A-Za-z][0-9A-Za-z.+_-]*$", var.artifact_promoter_version))
    error_message = "artifact_promoter_version must be a version such as 1.4.0 (no slashes)."
  }
}

variable "buildspec_tools_sha256" {
  type        = string
  description = "SHA-256 (hex) of that release's buildspec-tools.zip, as buildspecs/publish-tools.sh prints it."
}

variable "promoter_cli_sha256" {
  type        = string
  description = "SHA-256 (hex) of that release's artifact-promoter.jar, as buildspecs/publish-tools.sh prints it."
}

variable "function_dir" {
  type        = string
  description = "The function's Maven project inside its repository (function-pipeline function_dir); its Terraform is <function_dir>/terraform."
  default     = "."
}

variable "external_ids" {
  type        = map(string)
  description = "ExternalId per environment (dev, stage, prod) the promoter presents when assuming that environment's promotion role. Generate each with e.g. openssl rand -hex 24."
  sensitive   = true

  validation {
    condition     = alltrue([for env in ["dev", "stage", "prod"] : contains(keys(var.external_ids), env)])
    error_message = "external_ids needs an entry for dev, stage and prod."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource in every account."
  default     = {}
}
