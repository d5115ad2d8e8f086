# Deliberately broken: every check of TerraformChecks must report something here.
terraform {
  backend "s3" {
    bucket = "state"
    key    = "root.tfstate"
  }
}

variable "environment" {
  type        = string
  description = "Environment."
}

variable "untyped" {
  description = "No type."
}

variable "undocumented" {
  type = string
}

locals {
  name = "fixed" # var.in_a_comment must not count as a reference
}

resource "aws_iam_role" "no_environment" {
  name = "${local.name}-role"
}

resource "aws_s3_bucket" "with_environment" {
  bucket = "acme-${var.environment}"
}

module "child" {
  source      = "../child"
  environment = var.environment
  unknown_arg = var.not_declared
}

output "x" {
  value = local.missing
}

output "y" {
  value       = module.ghost.value
  description = "Refers to a module call that does not exist."
}
