variable "partition" {
  type        = string
  description = "AWS partition of the ops account (aws, aws-cn, aws-us-gov)."
  default     = "aws"

  validation {
    condition     = can(regex("^aws(-[a-z]+)*$", var.partition))
    error_message = "partition must be an AWS partition name such as aws, aws-cn or aws-us-gov."
  }
}

variable "region" {
  type        = string
  description = "Region of the ops account's resources."
  default     = "us-east-1"
}

variable "name_prefix" {
  type        = string
  description = "Organisation prefix for globally unique bucket names, e.g. \"acme\"."
}

variable "ops_account_id" {
  type        = string
  description = "Account that runs the promote function and holds the example's state."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.ops_account_id))
    error_message = "ops_account_id must be a 12-digit AWS account id."
  }
}

variable "deploy_role_name" {
  type        = string
  description = "Role that Terraform assumes in the ops account."
  default     = "terraform-deploy"
}

variable "pipeline_account_ids" {
  type        = list(string)
  description = "Accounts whose function pipelines fetch the buildspec tools and the CLI from the package bucket (dev, stage, prod)."
  default     = []

  validation {
    condition     = alltrue([for account in var.pipeline_account_ids : can(regex("^[0-9]{12}$", account))])
    error_message = "Each pipeline_account_ids entry must be a 12-digit AWS account id."
  }
}

variable "package_uploader_role_arns" {
  type        = list(string)
  description = "Roles (besides the deploy role) that upload the promote function's package, e.g. a release CI role."
  default     = []

  validation {
    condition     = alltrue([for arn in var.package_uploader_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", arn))])
    error_message = "Each package_uploader_role_arns entry must be an IAM role ARN."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
