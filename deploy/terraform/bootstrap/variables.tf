variable "environment" {
  description = "Environment the state and deploy role are for: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "name" {
  description = "Name prefix, as in the main module."
  type        = string
  default     = "hearth"
}

variable "aws_region" {
  description = "Region of the state bucket and lock table (the region in backend-<environment>.hcl)."
  type        = string
  default     = "eu-west-1"
}

variable "state_bucket_name" {
  description = "Name of the state bucket (bucket in backend-<environment>.hcl); S3 bucket names are global."
  type        = string
}

variable "lock_table_name" {
  description = "DynamoDB lock table (dynamodb_table in backend-<environment>.hcl)."
  type        = string
  default     = "hearth-tfstate-lock"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may assume the deploy role."
  type        = string
  default     = "hearth-app/hearth"
}

variable "github_environment" {
  description = "GitHub environment (Settings > Environments) whose jobs may assume the deploy role: staging, or production (which has the required reviewers)."
  type        = string
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider; false when another stack in the account already made it."
  type        = bool
  default     = true
}
