output "deploy_role_arn" {
  description = "Set it as the AWS_DEPLOY_ROLE_ARN variable of the GitHub environment (Settings > Environments)."
  value       = aws_iam_role.deploy.arn
}

output "state_bucket" {
  description = "bucket in backend-<environment>.hcl."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table" {
  description = "dynamodb_table in backend-<environment>.hcl."
  value       = aws_dynamodb_table.lock.name
}

output "workload_boundary_arn" {
  description = "Permissions boundary the main module attaches to its roles (use_permissions_boundary)."
  value       = aws_iam_policy.workload_boundary.arn
}
