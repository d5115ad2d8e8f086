# Set by buildspecs/deploy.yml with -var: every function's Terraform declares these four.
variable "package_bucket" {
  type        = string
  description = "Artifact bucket holding the deployment package (the account's own bucket)."
}

variable "package_key" {
  type        = string
  description = "Key of the deployment package: releases/<function>/<revision>.zip or drop/<function>.zip."
}

variable "package_version_id" {
  type        = string
  description = "S3 object version of the package: pins exactly the bytes that were built and promoted."

  validation {
    condition     = length(var.package_version_id) > 0
    error_message = "package_version_id must be the package's S3 object version id: an unversioned key could change under the deployment."
  }
}

variable "git_revision" {
  type        = string
  description = "Git commit the package was built from (the package's git-revision metadata)."

  validation {
    condition     = can(regex("^[0-9a-f]{40}$", var.git_revision))
    error_message = "git_revision must be a 40-character lowercase hex commit id."
  }
}

# Set per account: TF_VAR_environment and TF_VAR_function_name, which deploy.yml fills from the
# function-pipeline module's TARGET_ENV and DEPLOY_FUNCTION_NAME.
variable "environment" {
  type        = string
  description = "Environment name (dev, stage, prod, ...); part of every name that must be unique in an account."
  default     = "dev"
}

variable "function_name" {
  type        = string
  description = "Name of the deployed Lambda function (the pipeline's DEPLOY_FUNCTION_NAME); null means sample-function-<environment>."
  default     = null
}

variable "execution_role_permissions_boundary" {
  type        = string
  description = "ARN of the permissions boundary the execution role carries, when the account's deploy role may only create roles with one (the multi-account example's deploy-function-policy); null for none."
  default     = null
}

variable "memory_size" {
  type        = number
  description = "Memory of the function in MB."
  default     = 256
}

variable "log_retention_days" {
  type        = number
  description = "How long the function's logs are kept."
  default     = 30
}
