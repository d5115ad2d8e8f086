provider "aws" {
  alias  = "ops"
  region = var.region

  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.ops_account_id}:role/${var.deploy_role_name}"
    session_name = "artifact-promoter-terraform"
  }

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "dev"
  region = var.region

  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.dev_account_id}:role/${var.deploy_role_name}"
    session_name = "artifact-promoter-terraform"
  }

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "stage"
  region = var.region

  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.stage_account_id}:role/${var.deploy_role_name}"
    session_name = "artifact-promoter-terraform"
  }

  default_tags {
    tags = var.tags
  }
}

provider "aws" {
  alias  = "prod"
  region = var.region

  assume_role {
    role_arn     = "arn:${var.partition}:iam::${var.prod_account_id}:role/${var.deploy_role_name}"
    session_name = "artifact-promoter-terraform"
  }

  default_tags {
    tags = var.tags
  }
}
