# Hearth on AWS: one root module, one state per environment.
#
#   terraform init -backend-config=backend-staging.hcl
#   terraform plan -var-file=environments/staging.tfvars -var image_tag=<git sha>
#
# README.md beside this file explains the layout, the bootstrap and the deploy
# pipeline (.github/workflows/deploy.yml).

terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Partial configuration: bucket, key, region and lock table come from
  # backend-<environment>.hcl at `terraform init -backend-config=...`.
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.extra_tags, {
      Project     = "hearth"
      Environment = var.environment
      ManagedBy   = "terraform"
      Repository  = "hearth-app/hearth"
    })
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "zone-id"
    values = var.availability_zone_ids
  }

  lifecycle {
    postcondition {
      condition     = length(self.zone_ids) == length(var.availability_zone_ids)
      error_message = "Some of availability_zone_ids are not available zones of aws_region."
    }
  }
}

locals {
  name       = "${var.name}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  az_count   = length(var.availability_zone_ids)
  azs        = data.aws_availability_zones.available.names

  # The tag the service runs; the deploy pipeline holds it back for one apply
  # while the migration task runs the new image (see service_image_tag).
  service_image_tag = coalesce(var.service_image_tag, var.image_tag)
  server_image      = "${var.image_repository}:${local.service_image_tag}"
  migrate_image     = "${var.image_repository}:${var.image_tag}"

  permissions_boundary = var.use_permissions_boundary ? "arn:${local.partition}:iam::${local.account_id}:policy/${local.name}-workload-boundary" : null

  container_name = "hearth-server"
  container_port = 8787
}
