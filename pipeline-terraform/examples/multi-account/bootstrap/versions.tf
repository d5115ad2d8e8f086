terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.46, < 7.0"
    }
  }

  # No backend block: the bootstrap creates the bucket every other state lives in,
  # so its own (tiny) state starts local. See ../README.md to migrate it.
}
